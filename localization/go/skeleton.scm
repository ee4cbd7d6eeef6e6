(function_declaration body: (block) @elide (#set! replacement "{ ... }"))
(method_declaration body: (block) @elide (#set! replacement "{ ... }"))
(func_literal body: (block) @elide (#set! replacement "{ ... }"))

(interpreted_string_literal) @shorten
(raw_string_literal) @shorten
(composite_literal) @shorten
