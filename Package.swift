// swift-tools-version: 6.1
import PackageDescription

// Arrows point one way (see docs/architecture.md):
//   jiuzhu -> JiuzhuApp -> {JiuzhuStore -> {JiuzhuDemo -> JiuzhuModel, CSQLiteSession}, TermUI, CXlsxWriter, JiuzhuImport -> {CFreeXL, CXMLReader, ZIPFoundation}}
//   jiuzhu -> TermCurses -> {TermUI, CNcursesw}
// JiuzhuDemo (the demo township generator) is loaded by the store (`Store.loadDemo`), so the
// demo goes in through the same writes and checks as real work.
// JiuzhuModel, JiuzhuDemo and TermUI import nothing but Foundation (and the standard
// library's Synchronization).
let package = Package(
    name: "Jiuzhu",
    platforms: [.macOS(.v15)],   // Synchronization.Mutex
    products: [
        .executable(name: "jiuzhu", targets: ["jiuzhu"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", exact: "0.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
    ],
    targets: [
        .target(name: "TextColumns"),
        .target(name: "JiuzhuModel", dependencies: ["TextColumns"]),
        .target(name: "TermUI", dependencies: ["TextColumns"]),
        .target(name: "JiuzhuDemo", dependencies: ["JiuzhuModel"]),
        // SQLite's session extension (changesets) for the exchange packages: a few C calls over
        // Debian's libsqlite3, which is built with it (sqlite3.h declares it only on request).
        .target(name: "CSQLiteSession", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "JiuzhuStore",
            dependencies: [
                "JiuzhuModel", "JiuzhuDemo", "CSQLiteSession",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]),
        // No pkgConfig: ncursesw's pkg-config gives only -D flags, which SwiftPM refuses with a
        // warning on every build; shim.h defines them itself and module.modulemap links the library.
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "TermCurses", dependencies: ["TermUI", "CNcursesw"]),
        // Debian's libxlsxwriter (libxlsxwriter-dev), not linked: opened with dlopen when the
        // first workbook is written (include/CXlsxWriter.h), so it and the libcrypto it pulls in
        // are not a clerk's memory (issue 26).
        .target(name: "CXlsxWriter"),
        .systemLibrary(
            name: "CFreeXL",
            pkgConfig: "freexl",
            providers: [.apt(["libfreexl-dev"])]),
        // Debian's libxml2 (libxml2-dev), not linked: its streaming reader opened with dlopen when
        // the first .xlsx is read (include/CXMLReader.h), so it and the ICU it pulls in are not a
        // clerk's memory (issue 26). reader.c alone sees libxml2's header.
        .target(name: "CXMLReader", cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])]),
        // Reading an office's spreadsheets (台帐): .xlsx through ZIPFoundation and libxml2's
        // reader, .xls through Debian's FreeXL, .csv in UTF-8 or GB18030.
        .target(
            name: "JiuzhuImport",
            dependencies: [
                "CFreeXL", "CXMLReader",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]),
        .target(name: "JiuzhuApp", dependencies: ["JiuzhuStore", "JiuzhuModel", "TermUI", "CXlsxWriter", "JiuzhuImport"]),
        .executableTarget(
            name: "jiuzhu",
            dependencies: [
                "JiuzhuApp", "JiuzhuStore", "JiuzhuModel", "JiuzhuDemo", "TermUI", "TermCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A release build links Swift's standard library and Foundation statically (the
            // linker keeps only what the program uses) with LLD, packing the relative relocations
            // (RELR: 2.5 MB of RELA entries the loader reads at every start) and exporting no
            // symbols (`-static-stdlib` asks for `-export-dynamic`: 1.3 MB of symbol tables
            // nothing looks up). Each is memory a clerk's session holds (issue 26: 50 → 38 MB,
            // docs/benchmarks.md). The -l's are static Foundation's own C parts, which
            // `-static-stdlib` at the link alone does not name. A debug build (`swift run jiuzhu`,
            // the tests) links the shared libraries as before, quicker to link.
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-use-ld=lld",
                                           "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
                                           "-lCoreFoundation", "-l_FoundationICU",
                                           "-l_FoundationCShims", "-l_FoundationCollections"],
                                          .when(configuration: .release))]),
        .testTarget(
            name: "JiuzhuModelTests",
            dependencies: ["JiuzhuModel", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "JiuzhuDemoTests", dependencies: ["JiuzhuDemo", "JiuzhuModel"]),
        .testTarget(name: "JiuzhuStoreTests", dependencies: ["JiuzhuStore", "JiuzhuModel", "JiuzhuDemo"]),
        .testTarget(name: "TermUITests", dependencies: ["TermUI", .product(name: "PropertyBased", package: "swift-property-based")], exclude: ["Golden"]),
        .testTarget(name: "TermCursesTests", dependencies: ["TermCurses", "TermUI"]),
        .testTarget(name: "JiuzhuAppTests", dependencies: ["JiuzhuApp", "JiuzhuStore", "JiuzhuModel", "JiuzhuDemo", "TermUI"], exclude: ["Golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["jiuzhu"]),
        .testTarget(
            name: "JiuzhuImportTests",
            dependencies: ["JiuzhuImport", "JiuzhuApp", "JiuzhuStore", "JiuzhuModel", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"]),
    ],
    // Swift 6 language mode: strict concurrency checking (see docs/architecture.md, Concurrency).
    swiftLanguageModes: [.v6]
)
