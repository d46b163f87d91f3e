# hl_embed(var name file): adds a build step that turns file (relative to
# the current source dir: SQL, JSON, INI data) into a generated .c
# defining `const char name[]`, and appends that .c to the list variable
# var.
function(hl_embed var name file)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${CMAKE_CURRENT_SOURCE_DIR}/${file}
      -DOUT=${out} -DNAME=${name}
      -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${file}")
  set(${var} ${${var}} ${out} PARENT_SCOPE)
endfunction()
