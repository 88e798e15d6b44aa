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
ROLES_CORE_C := $(ROLES_DIR)/role_frames.c
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
