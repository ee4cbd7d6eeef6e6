; Elements of a Java file. Captures: @definition.<kind> and @name (see python/elements.scm).

(class_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.class
(enum_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(annotation_type_declaration name: (identifier) @name) @definition.class

(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method

(class_body (field_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.variable)
