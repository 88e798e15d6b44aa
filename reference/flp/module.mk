# reference/flp/module.mk — the Freelance roles (10/FLP): the server and the failover client.
#
# Built the way every protocol role is (reference/roles/module.mk, role_folder): against the
# public header zwire.h, the codecs and the roles' kit only, generated C in
# build/gen/reference/flp/, header dependencies from the compiler (-MMD -MP).

FLP_DIR      := reference/flp
FLP_MACHINES := flp_client_session
FLP_MACHINES += flp_server_view
FLP_TESTS    := flp-server
FLP_TESTS    += flp-client
$(eval $(call role_folder,FLP))

# What needs no socket: the client core, its machines (for fuzz_flp_client).
FLP_CORE_C   := $(addprefix $(FLP_DIR)/,flp_client.c flp_fault.c) $(FLP_GEN_C) $(ROLES_CORE_C)

# Failover (issue 13, item 7): three servers, one client with short timers, the server in use
# killed (SIGKILL) and restarted, a slow server; every request answered with its own body or
# an explicit timed-out / no-server, none lost while a server lives.  Timings printed, never
# asserted.  Then again with every role built under ASan + UBSan (LeakSanitizer at each exit).
.PHONY: flp-failover
flp-failover: $(BUILD)/bin/zwire $(BUILD)/asan/bin/zwire
	ZWIRE=$(BUILD)/bin/zwire $(PYTHON) -m pytest -q -s -p no:cacheprovider $(FLP_DIR)/tests/test_flp_failover.py
	ZWIRE=$(BUILD)/asan/bin/zwire $(ASAN_ENV) $(PYTHON) -m pytest -q -s -p no:cacheprovider \
	    $(FLP_DIR)/tests/test_flp_failover.py
