// Terminal column widths live in TextColumns, shared with the model's printed documents;
// everything that imports TermUI sees them as before.
@_exported import TextColumns
