import Synchronization

/// What the runner's thread and its background queue share: the answers waiting to be applied,
/// how much background work is under way, and the newest request id of each request space (an
/// answer to an older request of the same space would be dropped, so it is not worked out).
/// All of it behind one `Mutex`, so background work captures this and the store, both
/// `Sendable`, and never the runner, whose state only its own thread touches.
final class Mailbox: Sendable {
    private struct State {
        var inbox: [AppEvent] = []
        var pending = 0
        var latest: [String: Int] = [:]
    }
    private let state = Mutex(State())

    /// Background request `id` of `space` is under way; it supersedes the older ones of `space`.
    func begin(_ space: String, id: Int) { state.withLock { $0.pending += 1; $0.latest[space] = id } }
    /// A background request has finished (answered or dropped).
    func end() { state.withLock { $0.pending -= 1 } }
    /// Whether `id` is still the newest request of `space`.
    func isLatest(_ space: String, id: Int) -> Bool { state.withLock { $0.latest[space] == id } }
    /// An answer for the runner's thread.
    func post(_ e: AppEvent) { state.withLock { $0.inbox.append(e) } }
    /// The answers posted so far, oldest first; the inbox is empty afterwards.
    func take() -> [AppEvent] { state.withLock { s in let e = s.inbox; s.inbox = []; return e } }
    /// Whether an answer is waiting or background work is under way.
    var waiting: Bool { state.withLock { $0.pending > 0 || !$0.inbox.isEmpty } }
}
