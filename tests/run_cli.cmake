# run_cli.cmake - one golden CLI test, run as
#
#   cmake -DEXE=path/to/hotline -DCASE_DIR=tests/cli/<case>
#         -DWORK_DIR=<fresh scratch dir> -P run_cli.cmake
#
# CASE_DIR holds:
#   args             one argument per line, taken verbatim (spaces, quotes
#                    and Chinese need no escaping) but for @SRCDIR@, the
#                    source tree; an empty file means no
#                    arguments.  CMake lists cannot carry empty strings or ';',
#                    so lines that are empty or contain ';' are refused.
#   stdin            optional; fed to standard input (otherwise /dev/null)
#   stdout-to        optional; one path: standard output goes there instead
#                    of being captured (e.g. /dev/full to test write errors),
#                    and expected.stdout is then not used
#   expected.stdout  exact bytes expected on standard output
#   expected.stderr  exact bytes expected on standard error
#   expected.status  the exit status
#   files/           optional; copied into the work directory first
#
# The program runs in WORK_DIR, removed and created afresh, so a test may
# write files there.  Exit status, stdout and stderr must all match; every
# mismatch is reported, with a unified diff when diff(1) is available.
# With HL_CLI_UPDATE=1 in the environment, the expected.* files are
# rewritten from the actual run instead (review them with git diff).

foreach(var EXE CASE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_cli.cmake: -D${var}=... is required")
  endif()
endforeach()

set(update OFF)
if("$ENV{HL_CLI_UPDATE}" STREQUAL "1")
  set(update ON)
endif()

set(stdout_to "")
if(EXISTS "${CASE_DIR}/stdout-to")
  file(READ "${CASE_DIR}/stdout-to" stdout_to)
  string(STRIP "${stdout_to}" stdout_to)
endif()

set(required args expected.stderr expected.status)
if(stdout_to STREQUAL "")
  list(APPEND required expected.stdout)
endif()
foreach(f IN LISTS required)
  if(NOT EXISTS "${CASE_DIR}/${f}" AND NOT (update AND f MATCHES "^expected"))
    message(FATAL_ERROR "${CASE_DIR}: missing file '${f}'")
  endif()
endforeach()

# args: split on newlines by hand; file(STRINGS) would also split on ';'
# and mangle '[' ']'.
file(READ "${CASE_DIR}/args" raw)
string(REPLACE "\r" "" raw "${raw}")
string(REGEX REPLACE "\n$" "" raw "${raw}")
set(args "")
if(NOT raw STREQUAL "")
  if(raw MATCHES ";")
    message(FATAL_ERROR "${CASE_DIR}/args: ';' cannot be passed")
  endif()
  if(raw MATCHES "(^|\n)(\n|$)")
    message(FATAL_ERROR "${CASE_DIR}/args: empty arguments cannot be passed")
  endif()
  # @SRCDIR@ stands for the source tree, e.g. for a shipped mapping file.
  string(REPLACE "@SRCDIR@" "${SRC_DIR}" raw "${raw}")
  string(REPLACE "\n" ";" args "${raw}")
endif()

set(input /dev/null)
if(EXISTS "${CASE_DIR}/stdin")
  set(input "${CASE_DIR}/stdin")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# files/: fixtures the command reads, copied into the work directory.
if(IS_DIRECTORY "${CASE_DIR}/files")
  file(COPY "${CASE_DIR}/files/" DESTINATION "${WORK_DIR}")
endif()

if(stdout_to STREQUAL "")
  execute_process(COMMAND "${EXE}" ${args}
    WORKING_DIRECTORY "${WORK_DIR}"
    INPUT_FILE "${input}"
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err
    RESULT_VARIABLE status
    TIMEOUT 60)
else()
  execute_process(COMMAND "${EXE}" ${args}
    WORKING_DIRECTORY "${WORK_DIR}"
    INPUT_FILE "${input}"
    OUTPUT_FILE "${stdout_to}"
    ERROR_VARIABLE err
    RESULT_VARIABLE status
    TIMEOUT 60)
endif()

if(update)
  if(stdout_to STREQUAL "")
    file(WRITE "${CASE_DIR}/expected.stdout" "${out}")
  endif()
  file(WRITE "${CASE_DIR}/expected.stderr" "${err}")
  file(WRITE "${CASE_DIR}/expected.status" "${status}\n")
  message(STATUS "updated ${CASE_DIR}/expected.*")
  return()
endif()

find_program(DIFF diff)
set(failures "")

# compare(name actual): appends a report to failures when
# CASE_DIR/expected.<name> differs from actual.
function(compare name actual)
  file(READ "${CASE_DIR}/expected.${name}" want)
  if(actual STREQUAL want)
    return()
  endif()
  file(WRITE "${WORK_DIR}/actual.${name}" "${actual}")
  set(report "${name} differs (expected ${CASE_DIR}/expected.${name}, actual ${WORK_DIR}/actual.${name}):\n")
  if(DIFF)
    execute_process(COMMAND "${DIFF}" -u
        --label expected.${name} "${CASE_DIR}/expected.${name}"
        --label actual.${name} "${WORK_DIR}/actual.${name}"
      OUTPUT_VARIABLE d)
    string(APPEND report "${d}")
  else()
    string(APPEND report "--- expected\n${want}\n--- actual\n${actual}\n")
  endif()
  set(failures "${failures}${report}\n" PARENT_SCOPE)
endfunction()

file(READ "${CASE_DIR}/expected.status" want_status)
string(STRIP "${want_status}" want_status)
if(NOT status STREQUAL want_status)
  string(APPEND failures "exit status ${status}, expected ${want_status}\n\n")
endif()
if(stdout_to STREQUAL "")
  compare(stdout "${out}")
endif()
compare(stderr "${err}")

# The report goes out as a plain message: FATAL_ERROR would re-wrap the
# diff lines.
if(NOT failures STREQUAL "")
  string(REPLACE "\n" " " shown "${raw}")
  message("${CASE_DIR}: hotline ${shown}\n\n${failures}")
  message(FATAL_ERROR "golden test failed: ${CASE_DIR}")
endif()
