# E-mail: the message writer read back by Python's email package, and SMTP
# delivery against a real SMTP server (aiosmtpd) on loopback.
add_executable(mail_message_dump ${CMAKE_CURRENT_SOURCE_DIR}/tools/message_dump.c)
target_link_libraries(mail_message_dump PRIVATE lagesrapport_internal)
add_executable(mail_smtp_send ${CMAKE_CURRENT_SOURCE_DIR}/tools/smtp_send.c)
target_link_libraries(mail_smtp_send PRIVATE lagesrapport_internal)

add_test(NAME mail/roundtrip
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/message_roundtrip.py
          $<TARGET_FILE:mail_message_dump>)
add_test(NAME mail/smtp
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/smtp_send.py
          $<TARGET_FILE:mail_smtp_send> $<TARGET_FILE:mail_message_dump>)
# A minute under AddressSanitizer: thousands of messages round-tripped.
set_tests_properties(mail/roundtrip PROPERTIES TIMEOUT 600
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
set_tests_properties(mail/smtp PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")

# The mail command end to end: .eml files read back by Python's email
# package, and --send to tests/smtp_server.py across limits, refusals, a
# dead server and re-runs; the SMTP URL and TLS policy in C.
add_test(NAME mail/command
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/mail_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} MailTest)
set_tests_properties(mail/command PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")

# The same with the faults after which a message may or may not have
# arrived (a late 250, a dropped connection, an unanswered QUIT, kills at
# random moments): never two copies, never one missing without a word.
# Apart from mail/command so that the two can run side by side.
add_test(NAME mail/faults
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/mail_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} FaultTest)
set_tests_properties(mail/faults PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")

# Through TLS and a login as a county's server asks for them: STARTTLS and
# smtps:// against a CA the test makes, AUTH PLAIN, LOGIN and XOAUTH2 with
# a token command, and no secret left in any file or output.
add_test(NAME mail/tls
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/mail_tls_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(mail/tls PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")

# The winter round: forms out, `status` with all three states, and
# reminders to exactly those who have not answered, round after round.
add_test(NAME mail/remind
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/mail_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR} RemindTest)
set_tests_properties(mail/remind PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")

# Privacy: no contact person in a published report, workbook or mail
# attachment; only the internal workbook from build --intern names them.
add_test(NAME mail/privacy
  COMMAND ${LR_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/privacy_test.py
          $<TARGET_FILE:lagesrapport> ${CMAKE_SOURCE_DIR})
set_tests_properties(mail/privacy PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  FAIL_REGULAR_EXPRESSION "${LR_PY_UNCHECKED}")
