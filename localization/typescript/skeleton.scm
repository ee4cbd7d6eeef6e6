; What a TypeScript skeleton drops: function and method bodies (signatures and types stay), long literals.

(function_declaration body: (statement_block) @elide (#set! replacement "{ ... }"))
(generator_function_declaration body: (statement_block) @elide (#set! replacement "{ ... }"))
(function_expression body: (statement_block) @elide (#set! replacement "{ ... }"))
(generator_function body: (statement_block) @elide (#set! replacement "{ ... }"))
(arrow_function body: (statement_block) @elide (#set! replacement "{ ... }"))
(method_definition body: (statement_block) @elide (#set! replacement "{ ... }"))

(string) @shorten
(template_string) @shorten
(array) @shorten
