# Runs one command-line invocation and checks its exit status, stdout and stderr.
#   cmake -DEXE=path -DARGS="a|b|c" -DEXIT=n [-DSTDOUT=regex] [-DSTDERR=regex] -P expect.cmake
# ARGS separates the arguments with '|' (a ';' would be split by add_test). An empty STDOUT /
# STDERR regex is not checked; use "^$" to require empty output.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND "${EXE}" ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(failed "")
if(NOT "${rc}" STREQUAL "${EXIT}")
  string(APPEND failed "exit status ${rc}, expected ${EXIT}\n")
endif()
if(DEFINED STDOUT AND NOT "${STDOUT}" STREQUAL "" AND NOT "${out}" MATCHES "${STDOUT}")
  string(APPEND failed "stdout does not match '${STDOUT}'\n")
endif()
if(DEFINED STDERR AND NOT "${STDERR}" STREQUAL "" AND NOT "${err}" MATCHES "${STDERR}")
  string(APPEND failed "stderr does not match '${STDERR}'\n")
endif()
if(NOT failed STREQUAL "")
  message(FATAL_ERROR "${EXE} ${ARGS}\n${failed}--- stdout:\n${out}--- stderr:\n${err}")
endif()
