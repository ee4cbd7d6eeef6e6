; Elements of a Rust file. Captures: @definition.<kind> and @name (see python/elements.scm).
; Functions inside `impl Type` / `impl Trait for Type` are methods of Type (the impl is qualified by
; the @receiver capture and is not an element itself).

(struct_item name: (type_identifier) @name) @definition.class
(enum_item name: (type_identifier) @name) @definition.class
(union_item name: (type_identifier) @name) @definition.class
(trait_item name: (type_identifier) @name) @definition.class
(type_item name: (type_identifier) @name) @definition.class
(mod_item name: (identifier) @name) @definition.class

(impl_item
  type: [(type_identifier) @receiver (generic_type type: (type_identifier) @receiver) (scoped_type_identifier name: (type_identifier) @receiver)]
  body: (declaration_list (function_item name: (identifier) @name) @definition.method))
(trait_item body: (declaration_list (function_item name: (identifier) @name) @definition.method))
(trait_item body: (declaration_list (function_signature_item name: (identifier) @name) @definition.method))
(function_item name: (identifier) @name) @definition.function

(source_file (const_item name: (identifier) @name) @definition.variable)
(source_file (static_item name: (identifier) @name) @definition.variable)
