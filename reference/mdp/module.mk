# reference/mdp/module.mk — the Majordomo roles (7/MDP, 18/MDP, 8/MMI).
#
# Built the way every protocol role is (DESIGN.md, "Protocol roles"): against the public
# header zwire.h and the codecs only (no -Ireference/core), generated C in
# build/gen/reference/mdp/, header dependencies from the compiler (-MMD -MP).

MDP_DIR      := reference/mdp
MDP_MACHINES := mdp_worker_view
MDP_MACHINES += mdp_worker_session
MDP_MACHINES += mdp_client_session
MDP_C        := $(wildcard $(MDP_DIR)/*.c)
MDP_GEN_C    := $(MDP_MACHINES:%=$(GEN)/$(MDP_DIR)/%.c)
MDP_CFLAGS   := -std=c11 -g -D_POSIX_C_SOURCE=200809L $(WARN) -Icodec -Ireference/include \
                -Ireference/cli -Ireference/roles -I$(MDP_DIR) -MMD -MP
MDP_TESTS    := mdp-broker
MDP_TESTS    += mdp-worker
MDP_TESTS    += mdp-client

# The roles (cores, machines, shells), and the zwire subcommands on them (mdp_cli.c, mdp_cli_*.c).
MDP_CLI_C    := $(wildcard $(MDP_DIR)/mdp_cli.c $(MDP_DIR)/mdp_cli_*.c)
# What needs no socket: the broker core, its machine, its records (for the fuzzer).
MDP_CORE_C   := $(addprefix $(MDP_DIR)/,mdp_broker.c mdp_broker_workers.c mdp_broker_services.c \
                mdp_map.c mdp_fault.c) $(MDP_GEN_C) $(ROLES_CORE_C)
define mdp_objs   # $(1) = build dir
$(filter-out $(MDP_CLI_C:%.c=$(1)/%.o),$(MDP_C:%.c=$(1)/%.o)) $(MDP_GEN_C:$(GEN)/%.c=$(1)/gen/%.o)
endef
OBJ_MDP      := $(call mdp_objs,$(BUILD)/obj)
ASAN_MDP     := $(call mdp_objs,$(BUILD)/asan)
OBJ_MDP_CLI  := $(MDP_CLI_C:%.c=$(BUILD)/obj/%.o)
ASAN_MDP_CLI := $(MDP_CLI_C:%.c=$(BUILD)/asan/%.o)
.SECONDARY: $(MDP_GEN_C)

$(GEN)/$(MDP_DIR)/%.c: $(MDP_DIR)/%.rl $(MDP_DIR)/%_grammar.rl $(MDP_DIR)/%.h | ragel-version
	@mkdir -p $(@D)
	$(RAGEL) $(RAGEL_FLAGS) -I $(MDP_DIR) -o $@ $<

$(BUILD)/obj/$(MDP_DIR)/%.o: $(MDP_DIR)/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(MDP_CFLAGS) -O2 -c $< -o $@
$(BUILD)/obj/gen/$(MDP_DIR)/%.o: $(GEN)/$(MDP_DIR)/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(MDP_CFLAGS) -O2 $(GEN_WARN) -c $< -o $@
$(BUILD)/asan/$(MDP_DIR)/%.o: $(MDP_DIR)/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(MDP_CFLAGS) $(ASAN_FLAGS) -c $< -o $@
$(BUILD)/asan/gen/$(MDP_DIR)/%.o: $(GEN)/$(MDP_DIR)/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(MDP_CFLAGS) $(ASAN_FLAGS) $(GEN_WARN) -c $< -o $@

# Unit tests: reference/mdp/tests/test_<name>.c, each linked with the module and the codecs.
$(BUILD)/obj/$(MDP_DIR)/tests/%.o: $(MDP_DIR)/tests/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(MDP_CFLAGS) -Ireference/tests -O2 -c $< -o $@
$(BUILD)/asan/$(MDP_DIR)/tests/%.o: $(MDP_DIR)/tests/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(MDP_CFLAGS) -Ireference/tests $(ASAN_FLAGS) -c $< -o $@
$(BUILD)/bin/test-mdp-%: $(BUILD)/obj/$(MDP_DIR)/tests/test_mdp_%.o $(OBJ_MDP) $(OBJ_ROLES) $(OBJ_CORE) $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@
$(BUILD)/asan/bin/test-mdp-%: $(BUILD)/asan/$(MDP_DIR)/tests/test_mdp_%.o $(ASAN_MDP) $(ASAN_ROLES) $(ASAN_CORE) $(ASAN_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) $^ -o $@

MODULE_TESTS += $(MDP_TESTS)
DOC_EVENT_MACHINES += $(MDP_MACHINES:%=$(MDP_DIR)/%)

-include $(OBJ_MDP:.o=.d) $(ASAN_MDP:.o=.d) $(OBJ_MDP_CLI:.o=.d) $(ASAN_MDP_CLI:.o=.d)

# The broker under load (issue 12, item 8): 20 clients, 8 workers killed and restarted,
# hostile peers; every request answered once or timed out, none to the wrong client.
.PHONY: mdp-load
# Then again with every role built under ASan + UBSan (LeakSanitizer at each exit).
mdp-load: $(BUILD)/bin/zwire $(BUILD)/asan/bin/zwire
	ZWIRE=$(BUILD)/bin/zwire $(PYTHON) -m pytest -q -s -p no:cacheprovider $(MDP_DIR)/tests/test_mdp_load.py
	ZWIRE=$(BUILD)/asan/bin/zwire $(ASAN_ENV) LOAD_SECONDS=8 LOAD_RSS_BOUND=0 $(PYTHON) -m pytest -q -s -p no:cacheprovider \
	    $(MDP_DIR)/tests/test_mdp_load.py
