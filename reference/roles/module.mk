# reference/roles/module.mk — what every protocol role's folder shares (DESIGN.md, "Protocol
# roles"): the shell's layer between a core and a zwire socket, owned frame lists, `--exec`,
# and what the `zwire <protocol> <role>` subcommands share.  Built like a role: against
# zwire.h and the codecs only, header dependencies from the compiler (-MMD -MP).

ROLES_DIR    := reference/roles
ROLES_C      := $(wildcard $(ROLES_DIR)/*.c)
ROLES_CFLAGS := -std=c11 -g -D_POSIX_C_SOURCE=200809L $(WARN) -Icodec -Ireference/include \
                -Ireference/cli -I$(ROLES_DIR) -MMD -MP
# What only the zwire subcommands use (it needs the CLI's argument helpers).
ROLES_CLI_C  := $(ROLES_DIR)/role_cli.c $(ROLES_DIR)/role_exec.c
# What needs no socket (for the fuzzers of the roles' cores).
ROLES_CORE_C := $(ROLES_DIR)/role_frames.c $(ROLES_DIR)/role_fault.c
OBJ_ROLES    := $(filter-out $(ROLES_CLI_C:%.c=$(BUILD)/obj/%.o),$(ROLES_C:%.c=$(BUILD)/obj/%.o))
ASAN_ROLES   := $(filter-out $(ROLES_CLI_C:%.c=$(BUILD)/asan/%.o),$(ROLES_C:%.c=$(BUILD)/asan/%.o))
OBJ_ROLES_CLI  := $(ROLES_CLI_C:%.c=$(BUILD)/obj/%.o)
ASAN_ROLES_CLI := $(ROLES_CLI_C:%.c=$(BUILD)/asan/%.o)

$(BUILD)/obj/$(ROLES_DIR)/%.o: $(ROLES_DIR)/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(ROLES_CFLAGS) -O2 -c $< -o $@
$(BUILD)/asan/$(ROLES_DIR)/%.o: $(ROLES_DIR)/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(ROLES_CFLAGS) $(ASAN_FLAGS) -c $< -o $@

-include $(OBJ_ROLES:.o=.d) $(ASAN_ROLES:.o=.d) $(OBJ_ROLES_CLI:.o=.d) $(ASAN_ROLES_CLI:.o=.d)

# The rules of one role folder, the same for every protocol (DESIGN.md, "Protocol roles").
# A folder's module.mk sets <NAME>_DIR, <NAME>_MACHINES (its Ragel event machines, each
# <m>.rl with <m>_grammar.rl and <m>.h) and <NAME>_TESTS (test-<t> from tests/test_<t>.c),
# then calls $(eval $(call role_folder,<NAME>)).  It gets:
#   <NAME>_GEN_C                  the machines' generated C, in build/gen/<folder>/
#   OBJ_<NAME>, ASAN_<NAME>       the roles: cores, machines, shells
#   OBJ_<NAME>_CLI, ASAN_<NAME>_CLI   the zwire subcommands on them (*_cli.c, *_cli_*.c)
# compiled against zwire.h, the codecs and reference/roles only, -MMD -MP.
define role_folder
$(1)_C        := $$(wildcard $$($(1)_DIR)/*.c)
$(1)_GEN_C    := $$($(1)_MACHINES:%=$$(GEN)/$$($(1)_DIR)/%.c)
$(1)_CFLAGS   := $$(ROLES_CFLAGS) -I$$($(1)_DIR)
$(1)_CLI_C    := $$(wildcard $$($(1)_DIR)/*_cli.c $$($(1)_DIR)/*_cli_*.c)
OBJ_$(1)      := $$(filter-out $$($(1)_CLI_C:%.c=$$(BUILD)/obj/%.o),$$($(1)_C:%.c=$$(BUILD)/obj/%.o)) \
                 $$($(1)_GEN_C:$$(GEN)/%.c=$$(BUILD)/obj/gen/%.o)
ASAN_$(1)     := $$(filter-out $$($(1)_CLI_C:%.c=$$(BUILD)/asan/%.o),$$($(1)_C:%.c=$$(BUILD)/asan/%.o)) \
                 $$($(1)_GEN_C:$$(GEN)/%.c=$$(BUILD)/asan/gen/%.o)
OBJ_$(1)_CLI  := $$($(1)_CLI_C:%.c=$$(BUILD)/obj/%.o)
ASAN_$(1)_CLI := $$($(1)_CLI_C:%.c=$$(BUILD)/asan/%.o)
.SECONDARY: $$($(1)_GEN_C)

$$(GEN)/$$($(1)_DIR)/%.c: $$($(1)_DIR)/%.rl $$($(1)_DIR)/%_grammar.rl $$($(1)_DIR)/%.h | ragel-version
	@mkdir -p $$(@D)
	$$(RAGEL) $$(RAGEL_FLAGS) -I $$($(1)_DIR) -o $$@ $$<

$$(BUILD)/obj/$$($(1)_DIR)/%.o: $$($(1)_DIR)/%.c | deps
	@mkdir -p $$(@D)
	$$(CC) $$($(1)_CFLAGS) -O2 -c $$< -o $$@
$$(BUILD)/obj/gen/$$($(1)_DIR)/%.o: $$(GEN)/$$($(1)_DIR)/%.c | deps
	@mkdir -p $$(@D)
	$$(CC) $$($(1)_CFLAGS) -O2 $$(GEN_WARN) -c $$< -o $$@
$$(BUILD)/asan/$$($(1)_DIR)/%.o: $$($(1)_DIR)/%.c | deps
	@mkdir -p $$(@D)
	$$(CC) $$($(1)_CFLAGS) $$(ASAN_FLAGS) -c $$< -o $$@
$$(BUILD)/asan/gen/$$($(1)_DIR)/%.o: $$(GEN)/$$($(1)_DIR)/%.c | deps
	@mkdir -p $$(@D)
	$$(CC) $$($(1)_CFLAGS) $$(ASAN_FLAGS) $$(GEN_WARN) -c $$< -o $$@

# Unit tests: test-<t> from tests/test_<t>.c ('-' in t is '_' in the file name), each
# linked with the folder, the roles' kit, the peer and the codecs.
$$(BUILD)/obj/$$($(1)_DIR)/tests/%.o: $$($(1)_DIR)/tests/%.c | deps
	@mkdir -p $$(@D)
	$$(CC) $$($(1)_CFLAGS) -Ireference/tests -O2 -c $$< -o $$@
$$(BUILD)/asan/$$($(1)_DIR)/tests/%.o: $$($(1)_DIR)/tests/%.c | deps
	@mkdir -p $$(@D)
	$$(CC) $$($(1)_CFLAGS) -Ireference/tests $$(ASAN_FLAGS) -c $$< -o $$@
$$(foreach t,$$($(1)_TESTS),$$(eval $$(call role_test,$(1),$$(t))))

MODULE_TESTS += $$($(1)_TESTS)
DOC_EVENT_MACHINES += $$($(1)_MACHINES:%=$$($(1)_DIR)/%)
ROLE_CLI_OBJ += $$(OBJ_$(1)_CLI) $$(OBJ_$(1))
ROLE_CLI_ASAN += $$(ASAN_$(1)_CLI) $$(ASAN_$(1))

-include $$(OBJ_$(1):.o=.d) $$(ASAN_$(1):.o=.d) $$(OBJ_$(1)_CLI:.o=.d) $$(ASAN_$(1)_CLI:.o=.d)
endef

# One unit test of a role folder: $(1) = NAME, $(2) = the test's name (mdp-broker).
define role_test
$$(BUILD)/bin/test-$(2): $$(BUILD)/obj/$$($(1)_DIR)/tests/test_$(subst -,_,$(2)).o \
        $$(OBJ_$(1)) $$(OBJ_ROLES) $$(OBJ_CORE) $$(OBJ_CODEC)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$^ $$(CORE_LIBS) -o $$@
$$(BUILD)/asan/bin/test-$(2): $$(BUILD)/asan/$$($(1)_DIR)/tests/test_$(subst -,_,$(2)).o \
        $$(ASAN_$(1)) $$(ASAN_ROLES) $$(ASAN_CORE) $$(ASAN_CODEC)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_BASE) $$(ASAN_FLAGS) $$^ $$(CORE_LIBS) -o $$@
endef
