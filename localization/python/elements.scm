; Elements of a Python file. Captures: @definition.<kind> (the span, decorators included) and @name.
; When several patterns capture the same @name, the most specific kind wins
; (method > function > class > variable) and then the widest span.

(class_definition name: (identifier) @name) @definition.class
(decorated_definition definition: (class_definition name: (identifier) @name)) @definition.class

; Methods: functions directly inside a class body.
(class_definition
  body: (block (function_definition name: (identifier) @name) @definition.method))
(class_definition
  body: (block
    (decorated_definition definition: (function_definition name: (identifier) @name)) @definition.method))

(function_definition name: (identifier) @name) @definition.function
(decorated_definition definition: (function_definition name: (identifier) @name)) @definition.function

; Top-level assignments: `NAME = ...`, `NAME: T = ...`.
(module (expression_statement (assignment left: (identifier) @name)) @definition.variable)
