; Elements of a JavaScript file. Captures: @definition.<kind> and @name (see python/elements.scm).
; A member-expression name such as `res.send` or `Foo.prototype.bar` becomes the qualified name
; (`prototype` segments are dropped: `Foo.bar`).

(class_declaration name: (identifier) @name) @definition.class
(class name: (identifier) @name) @definition.class
(method_definition name: (_) @name) @definition.method

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function

; const f = () => {}, var g = function () {}
(lexical_declaration
  (variable_declarator
    name: (identifier) @name
    value: [(arrow_function) (function_expression) (generator_function)])) @definition.function
(variable_declaration
  (variable_declarator
    name: (identifier) @name
    value: [(arrow_function) (function_expression) (generator_function)])) @definition.function

; res.send = function send() {}, exports.x = () => {}, Foo.prototype.bar = function () {}
(expression_statement
  (assignment_expression
    left: (member_expression) @name
    right: [(arrow_function) (function_expression) (generator_function)])) @definition.function

; { key: function () {} }, { key: () => {} }
(pair
  key: [(property_identifier) (string) (identifier)] @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; Top-level variables.
(program (lexical_declaration (variable_declarator name: (identifier) @name)) @definition.variable)
(program (variable_declaration (variable_declarator name: (identifier) @name)) @definition.variable)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name))) @definition.variable)
