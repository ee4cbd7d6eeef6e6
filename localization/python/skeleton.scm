; What a Python skeleton drops. @elide: replaced by the `replacement` property (default "...").
; @shorten: literals longer than the skeleton's limit are cut to their first characters.

(function_definition body: (block) @elide (#set! replacement "..."))

(string) @shorten
(concatenated_string) @shorten
(list) @shorten
(dictionary) @shorten
(set) @shorten
(tuple) @shorten
