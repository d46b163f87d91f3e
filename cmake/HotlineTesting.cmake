# hl_add_check_suite(exe SUITE name SOURCES ... CASES ... LIBS ...)
#
# One Check binary per module and one ctest entry per TCase, selected with
# Check's CK_RUN_SUITE / CK_RUN_CASE.  The runner in tests/check_main.h fails
# when a selection runs zero tests, so a stale case name cannot pass.
function(hl_add_check_suite exe)
  cmake_parse_arguments(ARG "" "SUITE" "SOURCES;CASES;LIBS" ${ARGN})
  add_executable(${exe} ${ARG_SOURCES})
  target_include_directories(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${exe} PRIVATE ${ARG_LIBS} PkgConfig::CHECK hl_warnings)
  target_compile_definitions(${exe} PRIVATE
    HL_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data")
  foreach(tc IN LISTS ARG_CASES)
    add_test(NAME ${ARG_SUITE}.${tc} COMMAND ${exe})
    set_tests_properties(${ARG_SUITE}.${tc} PROPERTIES
      ENVIRONMENT "CK_RUN_SUITE=${ARG_SUITE};CK_RUN_CASE=${tc};CK_VERBOSITY=normal"
      LABELS "unit;${ARG_SUITE}"
      TIMEOUT 120)
  endforeach()
endfunction()

# hl_add_cli_test(case): tests/cli/<case>/{args,stdin,expected.stdout,
# expected.stderr,expected.status}, run by tests/run_cli.cmake with no shell.
function(hl_add_cli_test case)
  set(dir ${PROJECT_SOURCE_DIR}/tests/cli/${case})
  if(NOT EXISTS ${dir}/args)
    message(FATAL_ERROR "hl_add_cli_test: no ${dir}/args")
  endif()
  add_test(NAME cli.${case}
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:hotline> -DCASE_DIR=${dir}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cli-work/${case}
      -DSRC_DIR=${PROJECT_SOURCE_DIR}
      -P ${PROJECT_SOURCE_DIR}/tests/run_cli.cmake)
  set_tests_properties(cli.${case} PROPERTIES LABELS "cli" TIMEOUT 120)
endfunction()
