# sample_golden.cmake - pins the generator's bytes.
#
# Runs `hotline sample` with fixed options in WORK_DIR and compares the
# SHA-256 of every file it writes with tests/data/sample-golden/<case>.sha256
# ("<sha256>  <file>" lines, sorted by file name).  A change to the
# generator's output must update the pinned sums in the same commit, on
# purpose: run with -DUPDATE=1 to rewrite them.
#
#   cmake -DEXE=hotline -DCASE=name -DOPTS="--seed;7;..." -DEXPECT=file
#         -DWORK_DIR=dir [-DUPDATE=1] -P sample_golden.cmake
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(COMMAND ${EXE} sample --out ${WORK_DIR}/out -q ${OPTS}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hotline sample failed (${rc}):\n${err}")
endif()
file(GLOB_RECURSE files RELATIVE ${WORK_DIR}/out ${WORK_DIR}/out/*)
list(SORT files)
set(actual "")
foreach(f IN LISTS files)
  file(SHA256 ${WORK_DIR}/out/${f} sum)
  string(APPEND actual "${sum}  ${f}\n")
endforeach()
if(UPDATE)
  file(WRITE ${EXPECT} "${actual}")
  return()
endif()
file(READ ${EXPECT} want)
if(NOT actual STREQUAL want)
  message(FATAL_ERROR "sample output changed\n--- expected\n${want}--- actual\n${actual}")
endif()
