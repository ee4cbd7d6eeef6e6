(method_declaration body: (block) @elide (#set! replacement "{ ... }"))
(constructor_declaration body: (constructor_body) @elide (#set! replacement "{ ... }"))
(lambda_expression body: (block) @elide (#set! replacement "{ ... }"))

(string_literal) @shorten
(array_initializer) @shorten
