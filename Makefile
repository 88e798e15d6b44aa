# zwire — every entry point.  `make help` lists them.
#
# Build output goes to build/: Ragel's generated C (build/gen), objects and
# binaries of the normal build (build/obj, build/bin), the same under ASan +
# UBSan (build/asan), fuzz targets (build/fuzz) and reports (build/reports).

SHELL       := /bin/sh
# The modules' compiler dependency files (-include'd early) must not choose the default goal.
.DEFAULT_GOAL := all
PYTHON      := /usr/bin/python3
CC          := gcc
FUZZ_CC     := clang
AFL_CC      := afl-clang-fast
RAGEL       := ragel
RAGEL_FLAGS := -G2
RAGEL_MAJOR := 6

BUILD   := build
GEN     := $(BUILD)/gen
REPORTS := $(BUILD)/reports

WARN         := -Wall -Wextra -Werror
# Ragel's -G2 output falls through between cases and may leave entry points
# unused: relaxed for generated objects only.
GEN_WARN     := -Wno-implicit-fallthrough -Wno-unused-const-variable
CFLAGS_BASE  := -std=c11 -g -D_POSIX_C_SOURCE=200809L $(WARN) -Icodec -Ivectors/runner \
                -Ireference/include -Ireference/core
CFLAGS       := $(CFLAGS_BASE) -O2
ASAN_FLAGS   := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_ENV     := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

FUZZ_SECONDS ?= 30
SECONDS      ?= 300
TARGET       ?= frames

# --- sources ----------------------------------------------------------------
MACHINES   := zmtp_greeting zmtp_frame zmtp_metadata zmtp_command z85 mdp_message flp_message \
              zap_message
CODEC_C    := codec/zw_error.c codec/zmtp_greeting_pack.c codec/zmtp_command_pack.c codec/mdp_message_pack.c \
              codec/zap_message_pack.c codec/zap_address.c
REPORT_C   := vectors/runner/zw_report.c vectors/runner/zw_report_mdp.c vectors/runner/zw_report_flp.c \
              vectors/runner/zw_report_zap.c
CLI_C      := $(wildcard reference/cli/*.c)
CLI_H      := $(wildcard reference/cli/*.h)
# The reference stack: its event machines (Ragel: the session, each mechanism's handshake) and
# the C around them.
PEER_MACHINES := zw_session zw_null_handshake zw_plain_client zw_plain_server \
                 zw_curve_client zw_curve_server
# zw_curve_random.c goes into an archive of its own (below), never among these objects.
CORE_C     := $(filter-out reference/core/zw_curve_random.c,$(wildcard reference/core/*.c))
# What every program linking the reference stack links too: libsodium (CURVE).
CORE_LIBS  := -lsodium
CORE_H     := $(wildcard reference/core/*.h) reference/include/zwire.h
FUZZ_TARGETS := greeting frames command metadata z85 mdp mdp_broker flp flp_client zap engine

GEN_C      := $(MACHINES:%=$(GEN)/%.c)
PEER_GEN_C := $(PEER_MACHINES:%=$(GEN)/%.c)
# The fuzz rules compile the generated C directly from pattern rules, which
# would make it intermediate (deleted after the build, then not remade).
.SECONDARY: $(GEN_C) $(PEER_GEN_C)
RL_DEPS    := $(wildcard codec/*.rl) $(wildcard codec/*.h)

define objs   # $(1) = build dir
$(GEN_C:$(GEN)/%.c=$(1)/gen/%.o) $(CODEC_C:%.c=$(1)/%.o)
endef

OBJ_CODEC  := $(call objs,$(BUILD)/obj)
ASAN_CODEC := $(call objs,$(BUILD)/asan)

define core_objs   # $(1) = build dir
$(PEER_GEN_C:$(GEN)/%.c=$(1)/gen/%.o) $(CORE_C:%.c=$(1)/%.o) $(1)/lib/libzwcurverandom.a
endef

OBJ_CORE   := $(call core_objs,$(BUILD)/obj)
ASAN_CORE  := $(call core_objs,$(BUILD)/asan)

# Protocol roles: one folder each, with its own module.mk (DESIGN.md, "Protocol roles").
MODULE_TESTS :=
DOC_EVENT_MACHINES := $(PEER_MACHINES:%=reference/core/%)
ROLE_CLI_OBJ :=
ROLE_CLI_ASAN :=
include reference/roles/module.mk
include reference/mdp/module.mk
include reference/flp/module.mk

.PHONY: all help deps check conformance unit unit-asan vectors vectors-check vectors-lint \
        spec-lint trace python-tests interop-tests cli-tests soak mutation conformance-suite conformance-stability bench bench-conformance bench-codec fuzz fuzz-afl fuzz-build fuzz-afl-build fuzz-replay fuzz-smoke \
        fuzz-dicts-lint \
        fuzz-seeds docs clean ragel-version

all: deps $(BUILD)/bin/zwire $(BUILD)/bin/zw-vector-runner $(BUILD)/bin/test-codec \
     $(BUILD)/lib/libzwcodec.a

help:
	@echo "make                 build the codecs, zwire, the vector runner, the tests"
	@echo "make conformance     build; vectors through both codecs; the suite against zwire, zwire-2.0, libzmq, the Majordomo broker, worker and client and the Freelance server and client; the matrix"
	@echo "make conformance-stability  every case 5 times against zwire and libzmq under stress-ng: 0 unstable"
	@echo "make mutation        the suites against each fault (caught) and lenient variant (never accused) of the reference peer and roles"
	@echo "make mdp-load        the Majordomo broker under load, workers killed, hostile peers"
	@echo "make flp-failover    Freelance servers killed under a stream of requests: every request its own answer"
	@echo "make bench           codec, messaging, scale, MDP broker, Freelance and security benchmarks against memcpy, libzmq and raw sockets"
	@echo "make bench-conformance  the suite's wall time against each implementation (target 30 s)"
	@echo "make check           every test: C (plain and ASan+UBSan), Python, lints, vectors, fuzz"
	@echo "make vectors-check   vectors through the C and the Python codec, in many chunkings"
	@echo "make vectors-lint    schema and semantic lint of vectors/"
	@echo "make spec-lint       lint of the clause registry and of every clause citation"
	@echo "make trace           clause coverage: build/reports/trace.json"
	@echo "make fuzz TARGET=x SECONDS=n   libFuzzer run (targets: $(FUZZ_TARGETS))"
	@echo "make fuzz-afl TARGET=x         AFL++ run"
	@echo "make interop-tests   the reference peer against libzmq and itself (plain and ASan+UBSan)"
	@echo "make soak            blocking senders at their high-water mark under stress-ng (SOAK_SECONDS=60)"
	@echo "make docs            each Ragel machine (codecs, session) beside its clauses: build/docs/index.html"
	@echo "make clean           remove build/"

deps:
	@tools/install-deps.sh

ragel-version: deps
	@$(RAGEL) --version | grep -q "version $(RAGEL_MAJOR)\." \
	  || { echo "zwire needs Ragel $(RAGEL_MAJOR).x"; exit 1; }

# --- code generation ----------------------------------------------------------
# Every generation and compile step waits for deps (order-only), so that a parallel
# make on a fresh machine installs ragel and the headers before it needs them.
$(GEN)/%.c: codec/%.rl codec/%_grammar.rl | ragel-version
	@mkdir -p $(@D)
	$(RAGEL) $(RAGEL_FLAGS) -I codec -o $@ $<
$(GEN)/%.c: reference/core/%.rl reference/core/%_grammar.rl reference/core/%.h | ragel-version
	@mkdir -p $(@D)
	$(RAGEL) $(RAGEL_FLAGS) -I reference/core -o $@ $<

# --- objects --------------------------------------------------------------------
$(BUILD)/obj/gen/%.o: $(GEN)/%.c $(RL_DEPS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(GEN_WARN) -c $< -o $@
$(BUILD)/obj/%.o: %.c $(RL_DEPS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/asan/gen/%.o: $(GEN)/%.c $(RL_DEPS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) $(GEN_WARN) -c $< -o $@
$(BUILD)/asan/%.o: %.c $(RL_DEPS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) -c $< -o $@

$(CLI_C:%.c=$(BUILD)/obj/%.o) $(CLI_C:%.c=$(BUILD)/asan/%.o): $(CLI_H) $(CORE_H)
$(OBJ_CORE) $(ASAN_CORE): $(CORE_H)

$(BUILD)/lib/libzwcodec.a: $(OBJ_CODEC)
	@mkdir -p $(@D)
	ar rcs $@ $^

# zw_curve_random alone, in an archive linked after the stack's objects: a test program that
# defines zw_curve_random links its own in front, and this one is never pulled (DECISIONS S10).
$(BUILD)/obj/lib/libzwcurverandom.a: $(BUILD)/obj/reference/core/zw_curve_random.o
$(BUILD)/asan/lib/libzwcurverandom.a: $(BUILD)/asan/reference/core/zw_curve_random.o
$(BUILD)/obj/lib/libzwcurverandom.a $(BUILD)/asan/lib/libzwcurverandom.a:
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $(filter %.o,$^)
$(BUILD)/obj/reference/core/zw_curve_random.o $(BUILD)/asan/reference/core/zw_curve_random.o: $(CORE_H)

# --- programs ---------------------------------------------------------------------
$(BUILD)/bin/zwire: $(CLI_C:%.c=$(BUILD)/obj/%.o) $(ROLE_CLI_OBJ) $(OBJ_ROLES_CLI) $(OBJ_ROLES) $(OBJ_CORE) $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ $(CORE_LIBS) -ljansson -o $@
# Whole CURVE and PLAIN connections (vectors/FORMAT.md, "Handshakes"): the runner and the
# handshake vector generator link the C CurveZMQ layer (zw_curvezmq.o) with zw_handshake.c,
# whose zw_curve_random hands out the vector's fixed random inputs; never the library's
# libzwcurverandom.a, and nothing of the stack besides (DECISIONS S10).
HANDSHAKE_OBJ = $(1)/vectors/runner/zw_handshake.o $(1)/reference/core/zw_curvezmq.o
$(call HANDSHAKE_OBJ,$(BUILD)/obj) $(call HANDSHAKE_OBJ,$(BUILD)/asan) \
$(BUILD)/obj/vectors/tools/handshake_gen.o: vectors/runner/zw_handshake.h vectors/runner/zw_report.h $(CORE_H)
$(BUILD)/bin/zw-vector-runner: $(BUILD)/obj/vectors/runner/zw_vector_runner.o \
                               $(REPORT_C:%.c=$(BUILD)/obj/%.o) $(call HANDSHAKE_OBJ,$(BUILD)/obj) \
                               $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ $(CORE_LIBS) -ljansson -o $@
$(BUILD)/bin/zw-handshake-gen: $(BUILD)/obj/vectors/tools/handshake_gen.o \
                               $(REPORT_C:%.c=$(BUILD)/obj/%.o) $(call HANDSHAKE_OBJ,$(BUILD)/obj) \
                               $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ $(CORE_LIBS) -ljansson -o $@
$(BUILD)/bin/test-codec: $(BUILD)/obj/codec/tests/test_codec.o $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@
$(BUILD)/asan/bin/zw-vector-runner: $(BUILD)/asan/vectors/runner/zw_vector_runner.o \
                                    $(REPORT_C:%.c=$(BUILD)/asan/%.o) \
                                    $(call HANDSHAKE_OBJ,$(BUILD)/asan) $(ASAN_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) $^ $(CORE_LIBS) -ljansson -o $@
$(BUILD)/asan/bin/test-codec: $(BUILD)/asan/codec/tests/test_codec.o $(ASAN_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) $^ -o $@
# A codec's own unit tests beside test-codec: codec/tests/test_<name>.c.
CODEC_TESTS := zap_message
$(CODEC_TESTS:%=$(BUILD)/bin/test-%): $(BUILD)/bin/test-%: $(BUILD)/obj/codec/tests/test_%.o $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@
$(CODEC_TESTS:%=$(BUILD)/asan/bin/test-%): $(BUILD)/asan/bin/test-%: $(BUILD)/asan/codec/tests/test_%.o $(ASAN_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) $^ -o $@
$(BUILD)/asan/bin/zwire: $(CLI_C:%.c=$(BUILD)/asan/%.o) $(ROLE_CLI_ASAN) $(ASAN_ROLES_CLI) $(ASAN_ROLES) $(ASAN_CORE) $(ASAN_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) $^ $(CORE_LIBS) -ljansson -o $@

# The reference stack's unit tests: reference/tests/test_<name>.c.
REF_TESTS := engine loop endpoint api tolerate callbacks mechanism security curvezmq
$(BUILD)/bin/test-%: $(BUILD)/obj/reference/tests/test_%.o $(OBJ_CORE) $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ $(CORE_LIBS) -o $@
$(BUILD)/asan/bin/test-%: $(BUILD)/asan/reference/tests/test_%.o $(ASAN_CORE) $(ASAN_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_BASE) $(ASAN_FLAGS) $^ $(CORE_LIBS) -o $@
$(REF_TESTS:%=$(BUILD)/obj/reference/tests/test_%.o) $(REF_TESTS:%=$(BUILD)/asan/reference/tests/test_%.o): $(CORE_H) \
    reference/tests/test_watchdog.h reference/tests/test_check.h

# --- tests ------------------------------------------------------------------------
unit: $(BUILD)/bin/test-codec $(REF_TESTS:%=$(BUILD)/bin/test-%) $(MODULE_TESTS:%=$(BUILD)/bin/test-%) \
      $(CODEC_TESTS:%=$(BUILD)/bin/test-%)
	$(BUILD)/bin/test-codec
	@for t in $(CODEC_TESTS) $(REF_TESTS) $(MODULE_TESTS); do $(BUILD)/bin/test-$$t || exit 1; done

unit-asan: $(BUILD)/asan/bin/test-codec $(REF_TESTS:%=$(BUILD)/asan/bin/test-%) \
           $(MODULE_TESTS:%=$(BUILD)/asan/bin/test-%) $(CODEC_TESTS:%=$(BUILD)/asan/bin/test-%)
	$(ASAN_ENV) $(BUILD)/asan/bin/test-codec
	@for t in $(CODEC_TESTS) $(REF_TESTS) $(MODULE_TESTS); do $(ASAN_ENV) $(BUILD)/asan/bin/test-$$t || exit 1; done

spec-lint:
	$(PYTHON) tools/spec_lint.py

vectors-lint:
	$(PYTHON) vectors/tools/vectors_lint.py

vectors-check: $(BUILD)/bin/zw-vector-runner $(BUILD)/bin/zw-handshake-gen
	@mkdir -p $(REPORTS)
	$(PYTHON) vectors/tools/gen_handshake.py --check --tool $(BUILD)/bin/zw-handshake-gen
	$(PYTHON) vectors/tools/check.py --runner $(BUILD)/bin/zw-vector-runner \
	    --report $(REPORTS)/vectors.json

vectors-check-asan: $(BUILD)/asan/bin/zw-vector-runner
	$(ASAN_ENV) $(PYTHON) vectors/tools/check.py --runner $(BUILD)/asan/bin/zw-vector-runner \
	    --c-only

CLI_TESTS := $(wildcard reference/tests/test_cli_*.py)
cli-tests: $(BUILD)/bin/zwire $(BUILD)/asan/bin/zwire bench-messaging-build
	ZWIRE=$(BUILD)/bin/zwire $(PYTHON) -m pytest -q -p no:cacheprovider $(CLI_TESTS)
	ZWIRE=$(BUILD)/asan/bin/zwire $(ASAN_ENV) $(PYTHON) -m pytest -q -p no:cacheprovider $(CLI_TESTS)

# The reference peer against libzmq (pyzmq) and itself, over real sockets;
# then again with the peer built under ASan + UBSan (LeakSanitizer at exit).
interop-tests: $(BUILD)/bin/zwire $(BUILD)/asan/bin/zwire
	ZWIRE=$(BUILD)/bin/zwire ZWIRE_INTEROP_REQUIRE=1 $(PYTHON) -m pytest -q -p no:cacheprovider \
	    reference/tests/interop
	ZWIRE=$(BUILD)/asan/bin/zwire ZWIRE_INTEROP_REQUIRE=1 $(ASAN_ENV) $(PYTHON) -m pytest -q \
	    -p no:cacheprovider \
	    reference/tests/interop

python-tests: $(BUILD)/bin/zw-handshake-gen
	$(PYTHON) -m pytest -q -p no:cacheprovider conformance/tests tools/tests vectors/tools/tests fuzz/tests

# Blocking senders at their high-water mark, zwire -> zwire and zwire -> libzmq, run again
# and again for SOAK_SECONDS while stress-ng keeps every core busy: any run that does not
# finish (a lost wake-up) fails it.  It loads the machine: run nothing beside it.
SOAK_SECONDS ?= 60
soak: bench-messaging-build
	@mkdir -p $(REPORTS)
	$(PYTHON) reference/tests/soak_blocking_send.py --bin-dir $(BUILD)/bench \
	    --seconds $(SOAK_SECONDS) --report $(REPORTS)/soak.json

fuzz-dicts-lint:
	$(PYTHON) fuzz/make_dicts.py --check

trace:
	@mkdir -p $(REPORTS)
	$(PYTHON) tools/trace.py --json $(REPORTS)/trace.json

# --- fuzzing ----------------------------------------------------------------------
# The codec, the report builder and the oracle are compiled once per flavour
# (libFuzzer with sanitizers, AFL++ instrumentation); each harness links them.
# The I/O-free cores of the Majordomo broker and the Freelance client (no socket, no zwire.h)
# join them for fuzz_mdp_broker and fuzz_flp_client.
FUZZ_SHARED := $(GEN_C) $(CODEC_C) $(REPORT_C) fuzz/fuzz_oracle.c $(sort $(MDP_CORE_C) $(FLP_CORE_C))
FUZZ_CFLAGS := -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Icodec -Ivectors/runner -Ifuzz \
               -Ireference/mdp -Ireference/flp -Ireference/roles $(WARN)
LIBFUZZER_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
LIBFUZZER_OBJ := $(FUZZ_SHARED:%.c=$(BUILD)/fuzz/libfuzzer/obj/%.o)
AFL_OBJ := $(FUZZ_SHARED:%.c=$(BUILD)/fuzz/afl/obj/%.o)
# Kept between builds: made through a pattern rule only, they would be deleted as intermediate.
.SECONDARY: $(LIBFUZZER_OBJ) $(AFL_OBJ)

$(BUILD)/fuzz/libfuzzer/obj/%.o: %.c $(RL_DEPS) fuzz/fuzz_oracle.h vectors/runner/zw_report.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(if $(findstring $(GEN)/,$<),$(GEN_WARN)) $(LIBFUZZER_FLAGS) -c $< -o $@
$(BUILD)/fuzz/afl/obj/%.o: %.c $(RL_DEPS) fuzz/fuzz_oracle.h vectors/runner/zw_report.h
	@mkdir -p $(@D)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) $(if $(findstring $(GEN)/,$<),$(GEN_WARN)) -c $< -o $@

$(BUILD)/fuzz/libfuzzer/%: fuzz/fuzz_%.c $(LIBFUZZER_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    $< $(LIBFUZZER_OBJ) -ljansson -o $@
$(BUILD)/fuzz/afl/%: fuzz/fuzz_%.c $(AFL_OBJ)
	@mkdir -p $(@D)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(AFL_OBJ) -ljansson -o $@

# The engine's harness (fuzz_engine.c) links the reference stack's core besides: its objects
# built for each flavour (with the core's includes), libsodium, and its own zw_curve_random
# (DECISIONS S10: no libzwcurverandom.a).
FUZZ_ENGINE_C := $(PEER_GEN_C) $(CORE_C)
FUZZ_ENGINE_LIBFUZZER_OBJ := $(FUZZ_ENGINE_C:%.c=$(BUILD)/fuzz/libfuzzer/obj/%.o)
FUZZ_ENGINE_AFL_OBJ := $(FUZZ_ENGINE_C:%.c=$(BUILD)/fuzz/afl/obj/%.o)
.SECONDARY: $(FUZZ_ENGINE_LIBFUZZER_OBJ) $(FUZZ_ENGINE_AFL_OBJ)
$(FUZZ_ENGINE_LIBFUZZER_OBJ) $(FUZZ_ENGINE_AFL_OBJ): FUZZ_CFLAGS += -Ireference/include -Ireference/core
$(FUZZ_ENGINE_LIBFUZZER_OBJ) $(FUZZ_ENGINE_AFL_OBJ): $(CORE_H)
$(BUILD)/fuzz/libfuzzer/engine: fuzz/fuzz_engine.c $(LIBFUZZER_OBJ) $(FUZZ_ENGINE_LIBFUZZER_OBJ) $(CORE_H)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ireference/include -Ireference/core \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    $< $(LIBFUZZER_OBJ) $(FUZZ_ENGINE_LIBFUZZER_OBJ) $(CORE_LIBS) -ljansson -o $@
$(BUILD)/fuzz/afl/engine: fuzz/fuzz_engine.c $(AFL_OBJ) $(FUZZ_ENGINE_AFL_OBJ) $(CORE_H)
	@mkdir -p $(@D)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) -Ireference/include -Ireference/core -fsanitize=fuzzer \
	    $< $(AFL_OBJ) $(FUZZ_ENGINE_AFL_OBJ) $(CORE_LIBS) -ljansson -o $@
# Its seeds, fuzz/corpus/engine/*.bin: whole exchanges from the peer's side, recorded from a
# second engine (the same source built with -DZW_FUZZ_ENGINE_SEEDS), each replayed by the harness.
.PHONY: fuzz-engine-seeds
$(BUILD)/bin/fuzz-engine-seeds: fuzz/fuzz_engine.c $(OBJ_CORE) $(OBJ_CODEC)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DZW_FUZZ_ENGINE_SEEDS $^ $(CORE_LIBS) -o $@
fuzz-engine-seeds: $(BUILD)/bin/fuzz-engine-seeds
	$(BUILD)/bin/fuzz-engine-seeds fuzz/corpus/engine

fuzz-build: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/libfuzzer/%)

# The same harness sources, built for AFL++ (proves the one-source rule).
fuzz-afl-build: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/afl/%)

# Seeds: every vector's input, by decoder type, plus the committed corpus
# (so AFL++, which takes one input directory, starts from both).
fuzz-seeds:
	@for t in $(FUZZ_TARGETS); do \
	    rm -rf $(BUILD)/fuzz/seeds/$$t; mkdir -p $(BUILD)/fuzz/seeds/$$t; \
	    $(PYTHON) vectors/tools/seeds.py --out $(BUILD)/fuzz/seeds/$$t --type $$t || exit 1; \
	    cp fuzz/corpus/$$t/* $(BUILD)/fuzz/seeds/$$t/ 2>/dev/null || true; \
	done

# Replays every seed and committed corpus file (regressions) through each harness.
fuzz-replay: fuzz-build fuzz-seeds
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p fuzz/corpus/$$t; \
	    echo "fuzz-replay: $$t"; \
	    mkdir -p $(BUILD)/fuzz/work/$$t; \
	    out=$$($(BUILD)/fuzz/libfuzzer/$$t -runs=0 -artifact_prefix=$(BUILD)/fuzz/work/$$t/ \
	           $(BUILD)/fuzz/seeds/$$t fuzz/corpus/$$t 2>&1) \
	      || { echo "$$out" | tail -60; echo "fuzz-replay: $$t FAILED"; exit 1; }; \
	    echo "$$out" | tail -1; \
	done

# A bounded libFuzzer run of every harness; exits non-zero on any finding.
fuzz-smoke: fuzz-build fuzz-seeds
	@mkdir -p $(REPORTS)
	$(PYTHON) fuzz/run_smoke.py --seconds $(FUZZ_SECONDS) --jobs 2 --build $(BUILD) \
	    --report $(REPORTS)/fuzz.json $(FUZZ_TARGETS)

fuzz: $(BUILD)/fuzz/libfuzzer/$(TARGET) fuzz-seeds
	@mkdir -p $(BUILD)/fuzz/work/$(TARGET)/corpus fuzz/corpus/$(TARGET)
	$(BUILD)/fuzz/libfuzzer/$(TARGET) -max_total_time=$(SECONDS) -dict=fuzz/dict/$(TARGET).dict \
	    -artifact_prefix=$(BUILD)/fuzz/work/$(TARGET)/ \
	    $(BUILD)/fuzz/work/$(TARGET)/corpus $(BUILD)/fuzz/seeds/$(TARGET) fuzz/corpus/$(TARGET)

fuzz-afl: $(BUILD)/fuzz/afl/$(TARGET) fuzz-seeds
	@mkdir -p $(BUILD)/fuzz/afl-out/$(TARGET)
	AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
	    afl-fuzz -V $(SECONDS) -i $(BUILD)/fuzz/seeds/$(TARGET) -o $(BUILD)/fuzz/afl-out/$(TARGET) \
	    -x fuzz/dict/$(TARGET).dict -- $(BUILD)/fuzz/afl/$(TARGET)

# --- the two commands of the README ----------------------------------------------------
check: all
	$(MAKE) --no-print-directory spec-lint vectors-lint fuzz-dicts-lint unit unit-asan python-tests \
	    vectors-check vectors-check-asan cli-tests interop-tests conformance-suite mutation docs mdp-load \
	    flp-failover fuzz-replay fuzz-afl-build fuzz-smoke
	@# The soak loads every core: alone, after the rest, even under make -j.
	$(MAKE) --no-print-directory -j1 soak
	@mkdir -p $(REPORTS)
	$(PYTHON) tools/trace.py --quiet --json $(REPORTS)/trace.json
	@echo "make check: all passed"

# The suite against the reference peer (no FAIL allowed under rfc-strict), against the
# reference peer speaking only ZMTP 2.0 (the RFC 15 cases; every 3.x case UNSUPPORTED),
# against the reference Majordomo broker (the suite playing clients and workers, no FAIL),
# worker and client (the suite playing the broker, no FAIL), against the reference Freelance
# server and client (the suite playing clients, then servers, no FAIL),
# and against libzmq (its known deviations in conformance/baselines/), then the matrix.
# Two lanes run at once, each a suite after the other: the ZMTP suites, and the suites of the
# roles above ZMTP (mostly waiting on timers); a lane stops at its first failing suite.
SUITE := cd conformance && $(PYTHON) -m zwire_conformance -q
LIBZMQ_BASELINE := baselines/libzmq-4.3.4.json
LIBZMQ_RESULTS  := conformance/results/libzmq-4.3.4.md

# One suite run, in a subshell: $(1) the shipped implementation (its report in
# $(REPORTS)/$(1)), $(2) more arguments, $(3) what a non-zero exit means.
define suite_run
( $(SUITE) --implementation $(1) $(2) > /dev/null ); s=$$?; \
  [ $$s -eq 0 ] || { echo "conformance: $(3) (exit $$s)"; \
                      cat $(CURDIR)/$(REPORTS)/$(1)/summary.md; exit 1; }
endef

conformance-suite: $(BUILD)/bin/zwire
	@mkdir -p $(REPORTS)
	@echo "conformance: zwire, zwire-2.0, libzmq | zwire-mdp-broker, zwire-mdp-worker, zwire-mdp-client, zwire-fl-server, zwire-fl-client"
	@( $(call suite_run,zwire,,the reference peer has FAIL or harness errors); \
	   $(call suite_run,zwire-2.0,,the reference peer speaking only ZMTP 2.0 has FAIL or harness errors); \
	   $(call suite_run,libzmq,--baseline $(LIBZMQ_BASELINE),libzmq fails cases its baseline does not list) ) & zmtp=$$!; \
	 ( $(call suite_run,zwire-mdp-broker,,the reference Majordomo broker has FAIL or harness errors); \
	   $(call suite_run,zwire-mdp-worker,,the reference Majordomo worker has FAIL or harness errors); \
	   $(call suite_run,zwire-mdp-client,,the reference Majordomo client has FAIL or harness errors); \
	   $(call suite_run,zwire-fl-server,,the reference Freelance server has FAIL or harness errors); \
	   $(call suite_run,zwire-fl-client,,the reference Freelance client has FAIL or harness errors) ) & roles=$$!; \
	 wait $$zmtp; a=$$?; wait $$roles; b=$$?; [ $$a -eq 0 ] && [ $$b -eq 0 ]
	cd conformance && $(PYTHON) -m zwire_conformance.results $(CURDIR)/$(REPORTS)/libzmq/report.json \
	    $(LIBZMQ_BASELINE) $(CURDIR)/$(REPORTS)/libzmq/results.md
	@# The committed results are this run's, never edited by hand.
	@diff -u $(LIBZMQ_RESULTS) $(REPORTS)/libzmq/results.md \
	  || { echo "conformance: $(LIBZMQ_RESULTS) differs from this run's results (above);" \
	            "if the change is meant, cp $(REPORTS)/libzmq/results.md $(LIBZMQ_RESULTS)"; exit 1; }

# Every case STABILITY_RUNS times against the reference peer and libzmq while stress-ng
# keeps every core busy: any case whose verdict or robustness changes between runs fails
# it (the suite's exit status 4).  Not part of make check: it loads the machine for minutes.
STABILITY_RUNS ?= 5
conformance-stability: deps $(BUILD)/bin/zwire
	@mkdir -p $(REPORTS)/stability
	@stress-ng --cpu 0 --timeout 3600s --quiet & load=$$!; trap "kill $$load 2>/dev/null" EXIT; \
	  status=0; \
	  for impl in zwire libzmq; do \
	    baseline=; [ $$impl = libzmq ] && baseline="--baseline $(LIBZMQ_BASELINE)"; \
	    log=$(CURDIR)/$(REPORTS)/stability/$$impl.log; \
	    ( $(SUITE) --implementation $$impl $$baseline --repeat $(STABILITY_RUNS) \
	        --report-dir $(CURDIR)/$(REPORTS)/stability/$$impl > $$log 2>&1 ); s=$$?; \
	    echo "$$impl: $$(grep -E '^stability' $$log)"; grep -E '^  unstable' $$log; \
	    [ $$s -eq 0 ] || { echo "$$impl: exit $$s (4: unstable cases), see $$log"; status=1; }; \
	  done; exit $$status

conformance: all
	@mkdir -p $(REPORTS)
	$(MAKE) --no-print-directory vectors-check conformance-suite
	@$(PYTHON) tools/conformance_summary.py --vectors $(REPORTS)/vectors.json \
	    --suite $(REPORTS)/zwire --suite $(REPORTS)/zwire-2.0 --suite $(REPORTS)/libzmq \
	    --suite $(REPORTS)/zwire-mdp-broker --suite $(REPORTS)/zwire-mdp-worker \
	    --suite $(REPORTS)/zwire-mdp-client --suite $(REPORTS)/zwire-fl-server \
	    --suite $(REPORTS)/zwire-fl-client

# --- benchmarks (never part of make check: timings are reported, not asserted) ---
# make bench: the codec against memcpy, messaging against libzmq and the raw socket
# limit, scale against libzmq, the Majordomo broker against a libzmq LRU broker
# (zwire bench mdp), the Freelance client and server against a libzmq DEALER and ROUTER,
# and their failover (zwire bench fl), NULL / PLAIN / CURVE handshakes and CURVE throughput
# against libzmq (zwire bench security), the targets judged (reference/bench/README.md);
# build/reports/bench.json and bench.md.  BENCH_FLAGS=--quick: a one-run smoke test.
BENCH_FLAGS ?=
bench: deps $(BUILD)/bin/zwire bench-messaging-build
	@mkdir -p $(REPORTS)
	ulimit -n $$(ulimit -Hn) && $(PYTHON) reference/bench/bench_all.py --zwire $(BUILD)/bin/zwire \
	    --bin-dir $(BUILD)/bench --out $(REPORTS)/bench.json --table $(REPORTS)/bench.md $(BENCH_FLAGS)
	$(MAKE) --no-print-directory bench-conformance

# The whole ZMTP suite's wall time against each shipped implementation (median of 3;
# target 30 s each): build/reports/suite-time.{json,md}.
bench-conformance: $(BUILD)/bin/zwire
	@mkdir -p $(REPORTS)
	cd conformance && $(PYTHON) -m zwire_conformance.timing --report $(CURDIR)/$(REPORTS)/suite-time.json

bench-codec: $(BUILD)/bin/zwire
	@mkdir -p $(REPORTS)
	$(BUILD)/bin/zwire bench codec --json > $(REPORTS)/bench-codec.jsonl
	$(BUILD)/bin/zwire bench codec

# Every deliberate fault of the reference peer must be caught by the suite.
mutation: $(BUILD)/bin/zwire
	cd conformance && $(PYTHON) -m zwire_conformance.mutation

# --- documentation ------------------------------------------------------------------------
DOC_MACHINES := $(MACHINES:%=codec/%) $(DOC_EVENT_MACHINES)

docs: ragel-version
	@mkdir -p $(BUILD)/docs
	@for m in $(DOC_MACHINES); do \
	    n=$$(basename $$m); \
	    $(RAGEL) -V -p -I $$(dirname $$m) -o $(BUILD)/docs/$$n.dot $$m.rl && \
	    dot -Tsvg $(BUILD)/docs/$$n.dot -o $(BUILD)/docs/$$n.svg || exit 1; \
	done
	@# Event machines: ragel numbers the events; the diagram names them.
	@# A frame-list grammar (codec/<p>_message) names its frame classes in <p>_frame_class.h.
	@for m in $(DOC_EVENT_MACHINES) codec/mdp_message codec/flp_message codec/zap_message; do \
	    n=$$(basename $$m); d=$$(dirname $$m); h=$$m.h; \
	    case $$n in *_message) h=codec/$${n%_message}_frame_class.h;; esac; \
	    $(RAGEL) -V -I $$d -o $(BUILD)/docs/$$n.dot $$m.rl && \
	    $(PYTHON) tools/render_docs.py --relabel $(BUILD)/docs/$$n.dot $$h && \
	    dot -Tsvg $(BUILD)/docs/$$n.dot -o $(BUILD)/docs/$$n.svg || exit 1; \
	done
	$(PYTHON) tools/render_docs.py --out $(BUILD)/docs $(DOC_MACHINES)

clean:
	rm -rf $(BUILD)
include reference/bench/Makefile.inc
