; Elements of a Go file. Captures: @definition.<kind> and @name (see python/elements.scm).
; Methods are named after their receiver type: `func (s *Server) Serve()` → `Server.Serve`
; (the @receiver capture supplies the qualifying type).

(type_declaration (type_spec name: (type_identifier) @name)) @definition.class
(function_declaration name: (identifier) @name) @definition.function
(method_declaration
  receiver: (parameter_list
    (parameter_declaration type: [(type_identifier) @receiver (pointer_type (type_identifier) @receiver)
                                  (generic_type type: (type_identifier) @receiver)
                                  (pointer_type (generic_type type: (type_identifier) @receiver))]))
  name: (field_identifier) @name) @definition.method

(source_file (var_declaration (var_spec name: (identifier) @name)) @definition.variable)
(source_file (const_declaration (const_spec name: (identifier) @name)) @definition.variable)
