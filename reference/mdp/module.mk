# reference/mdp/module.mk — the Majordomo roles (7/MDP, 18/MDP, 8/MMI).
#
# Built the way every protocol role is (reference/roles/module.mk, role_folder): against the
# public header zwire.h, the codecs and the roles' kit only (no -Ireference/core), generated
# C in build/gen/reference/mdp/, header dependencies from the compiler (-MMD -MP).

MDP_DIR      := reference/mdp
MDP_MACHINES := mdp_worker_view
MDP_MACHINES += mdp_worker_session
MDP_MACHINES += mdp_client_session
MDP_TESTS    := mdp-broker
MDP_TESTS    += mdp-worker
MDP_TESTS    += mdp-client
$(eval $(call role_folder,MDP))

# What needs no socket: the broker core, its machine, its records (for the fuzzer).
MDP_CORE_C   := $(addprefix $(MDP_DIR)/,mdp_broker.c mdp_broker_workers.c mdp_broker_services.c \
                mdp_map.c mdp_fault.c) $(MDP_GEN_C) $(ROLES_CORE_C)

# The broker under load (issue 12, item 8): 20 clients, 8 workers killed and restarted,
# hostile peers; every request answered once or timed out, none to the wrong client.
.PHONY: mdp-load
# Then again with every role built under ASan + UBSan (LeakSanitizer at each exit).
mdp-load: $(BUILD)/bin/zwire $(BUILD)/asan/bin/zwire
	ZWIRE=$(BUILD)/bin/zwire $(PYTHON) -m pytest -q -s -p no:cacheprovider $(MDP_DIR)/tests/test_mdp_load.py
	ZWIRE=$(BUILD)/asan/bin/zwire $(ASAN_ENV) LOAD_SECONDS=8 LOAD_RSS_BOUND=0 $(PYTHON) -m pytest -q -s -p no:cacheprovider \
	    $(MDP_DIR)/tests/test_mdp_load.py
