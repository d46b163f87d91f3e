# progress_tty.cmake - `hotline ingest` on a terminal draws a progress
# line and erases it before its summary; with -q it draws none.
#
#   cmake -DEXE=hotline -DWORK_DIR=dir -P progress_tty.cmake
find_program(SCRIPT script REQUIRED)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${EXE} sample -q --out ${WORK_DIR}/data --scale 0.05
    --no-calibrate --years 2022
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sample exited ${rc}")
endif()

function(on_tty out quiet)
  file(REMOVE ${WORK_DIR}/t.db)
  # script(1) runs the command on a pseudo-terminal; its argument is one
  # command line, built here from fixed paths, not from user input.
  execute_process(
    COMMAND ${SCRIPT} -qec
      "${EXE} ingest ${quiet} --db ${WORK_DIR}/t.db ${WORK_DIR}/data/gz12345-2022.csv"
      /dev/null
    RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE text)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ingest on a terminal exited ${rc}:\n${text}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(ASCII 27 esc)
on_tty(text "")
if(NOT text MATCHES "\r${esc}\\[Khotline: ingest: '[^']*': [0-9]+% of [0-9]+ MB, [0-9]+ rows, [0-9]+ rows/s, ETA [0-9]+:[0-9][0-9]")
  message(FATAL_ERROR "no progress line on a terminal:\n${text}")
endif()
if(NOT text MATCHES "\r${esc}\\[Khotline: ingest: '[^']*': [0-9]+ rows: [0-9]+ inserted")
  message(FATAL_ERROR "the progress line was not erased before the summary:\n${text}")
endif()
on_tty(text "-q")
if(text MATCHES "ETA")
  message(FATAL_ERROR "a progress line despite -q:\n${text}")
endif()
