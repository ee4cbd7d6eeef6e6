(function_item body: (block) @elide (#set! replacement "{ ... }"))
(closure_expression body: (block) @elide (#set! replacement "{ ... }"))

(string_literal) @shorten
(raw_string_literal) @shorten
(array_expression) @shorten
