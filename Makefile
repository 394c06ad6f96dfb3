# Tunesmith: `make test` and `make demo` work on a fresh Debian/Ubuntu machine.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := pkg-config libfluidsynth-dev libsndfile1-dev libopenblas-dev libsqlite3-dev \
                timgm6mb-soundfont fluid-soundfont-gm openttd-openmsx
BENCH_APT_PACKAGES := python3 python3-venv python3-pip
RENDER_BENCH_APT_PACKAGES := fluidsynth
REPORT_CHECK_APT_PACKAGES := chromium fonts-dejavu-core python3
SCORE_APT_PACKAGES := musescore3
CORPUS ?= ../shared/corpus
FUZZ_SECONDS ?= 300

.PHONY: deps deps-bench deps-score build release test lint demo bench fuzz clean bench-read compare-notes verify-written
.PHONY: bench-train bench-ingest

# Installs only what is missing, so a machine that has everything never calls apt.
define apt_install_missing
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install_missing,$(APT_PACKAGES))

deps-bench: deps
	@command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || { $(call apt_install_missing,$(BENCH_APT_PACKAGES)); }

# MuseScore 3 is large (65 MB download, 165 MB installed with its libraries) and only `tunesmith score` needs it.
deps-score:
	$(call apt_install_missing,$(SCORE_APT_PACKAGES))

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The release configuration, as users build it (-O, bounds checks kept); the training
# tests need optimised kernels to finish in seconds. @testable imports still work, as
# `swift test` enables testability in every configuration. That build also links the release
# `tunesmith` the Python suite runs against, so the suite follows it instead of building
# tunesmith a second time without testability (a full second release build).
test: deps lint deps-bench
	$(SWIFT) test -c release --disable-xctest
	python/run-tests

.PHONY: test-python
# The tunesmith_torch package (python/): its pytest suite in .venv-torch (CPU PyTorch, created
# once), against the release tunesmith: DDP parity, likelihood parity, runs continued both ways.
test-python: deps-bench
	$(SWIFT) build -c release --product tunesmith
	python/run-tests

.PHONY: lint
# swift-format (shipped with the toolchain) with the project's .swift-format: any finding fails.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Fuzz Package.swift

# The whole pipeline (`tunesmith demo`) on the openttd-openmsx set, or on CORPUS=DIR when
# given on the command line; DEMO_MINUTES of training; writes Reports/demo/index.html.
DEMO_MINUTES ?= 3
demo: release
	.build/release/tunesmith demo --minutes $(DEMO_MINUTES) --out Reports/demo \
	  $(if $(filter command line environment,$(origin CORPUS)),--corpus "$(CORPUS)")

# Every benchmark, each beside its anchor in the same run.
bench: bench-read bench-keys bench-ingest bench-train bench-decode bench-render bench-score bench-json bench-flags

.PHONY: bench-flags
# Read, analysis and training speed of the last -Ounchecked commit beside the working tree.
bench-flags: deps-bench
	Benchmarks/flags-compare "$(CORPUS)"

# Tunesmith's read + note pairing beside symusic and mido (Benchmarks/.venv, created once).
bench-read: deps-bench
	Benchmarks/read-bench "$(CORPUS)"

# Tunesmith's note lists beside symusic's and mido's, with every disagreement listed.
compare-notes: deps-bench
	Benchmarks/compare-notes "$(CORPUS)"

# Repairs the corpus and loads originals and repaired copies in mido, pretty_midi, symusic, music21.
verify-written: deps-bench
	Benchmarks/verify-written "$(CORPUS)"

fuzz: deps-bench
	Fuzz/run $(FUZZ_SECONDS)

.PHONY: nn-fixtures nn-fixtures-check
# The PyTorch parity dumps the Generation kernel tests read: make nn-fixtures OUT=DIR.
nn-fixtures: deps-bench
	@[ -n "$(OUT)" ] || { echo "make nn-fixtures OUT=DIR: say where the dumps go" >&2; exit 2; }
	Benchmarks/nn-fixtures "$(OUT)"

# Recomputes the shared dumps from their own inputs (into Reports/nn-fixtures) and compares.
NN_FIXTURES ?= ../shared/fixtures/nn
nn-fixtures-check: deps-bench
	Benchmarks/nn-fixtures Reports/nn-fixtures --inputs-from "$(NN_FIXTURES)"

bench-ingest: release
	Benchmarks/bench-ingest "$(CORPUS)"

.PHONY: bench-json
# analyze and inspect as text and as --json, whole processes, same run.
bench-json: release
	Benchmarks/json-bench "$(CORPUS)"

# Keys vs music21 and KEYS.csv, then analysis time of the whole corpus beside music21's.
.PHONY: bench-clearance
# Planted-copy recall, same-work pairs, index and check speed of `tunesmith clearance` (README "Clearance").
bench-clearance: deps
	Benchmarks/bench-clearance "$(CORPUS)"

.PHONY: bench-keys
bench-keys: deps-bench
	Benchmarks/compare-keys "$(CORPUS)"
	$(SWIFT) build -c release --product AnalyzeBench
	.build/release/AnalyzeBench "$(CORPUS)"

# Generation engine training throughput beside PyTorch (creates Benchmarks/.venv-torch).
bench-train: deps-bench
	Benchmarks/train-bench

.PHONY: bench-torch
# Training tokens/s of Tunesmith's CPU trainer, tunesmith_torch in one process and under
# torchrun × 2, same model, batch and data, side by side (README "Training on GPUs and clusters").
bench-torch: deps-bench release
	Benchmarks/torch-train-bench "$(CORPUS)"

.PHONY: bench-decode
# generate's tokens per second with incremental decoding beside --no-cache, same model, seed and piece.
bench-decode: deps
	$(SWIFT) build -c release --product DecodeBench
	$$($(SWIFT) build -c release --show-bin-path)/DecodeBench

.PHONY: bench-score
# MuseScore 3's own MIDI import against `tunesmith score` (pages, staves, tempo marks, bars)
# on 20 classical files and the generated pieces; PAGES_OUT=docs refreshes the README's page images.
bench-score: deps-score
	$(SWIFT) build -c release --product tunesmith
	Benchmarks/score-bench "$(CORPUS)"

.PHONY: bench-render
# Tunesmith against the fluidsynth command line, same files, soundfont and sample rate.
bench-render: deps-bench release
	$(call apt_install_missing,$(RENDER_BENCH_APT_PACKAGES))
	Benchmarks/render-bench "$(CORPUS)/classical"

.PHONY: check-report
# Renders a report of the classical corpus in headless Chromium; writes only under Reports/ (git-ignored).
check-report: release
	$(call apt_install_missing,$(REPORT_CHECK_APT_PACKAGES))
	Scripts/check-report .build/release/tunesmith "$(CORPUS)/classical" Reports/classical-check

.PHONY: bench-generation
# Issue 15's targets: the default Transformer against the pre-recipe settings, the Markov
# baseline and a PyTorch REMI GPT at equal budgets (MINUTES, default 10 each), then 30 samples;
# QUALITY_MINUTES=60 adds the quality preset trained an hour, scored on the same test pieces.
bench-generation: release deps-bench
	Benchmarks/bench-generation "$(CORPUS)"

.PHONY: bench-steering
# Issue 17's evidence: key adherence (music21), tempo/meter/bars (pretty_midi), continuation and
# infill of corpus prompts, style labelling; trains STEERING_MINUTES (default 15) on classical + jazz.
STEERING_MINUTES ?= 15
bench-steering: release deps-bench
	MINUTES=$(STEERING_MINUTES) Benchmarks/bench-steering "$(CORPUS)"

.PHONY: generation-compare
# The README's training tables and generated-piece evaluation (about 90 minutes on 2 cores).
generation-compare: release deps-bench
	Benchmarks/generation-compare "$(CORPUS)"

clean:
	rm -rf .build .build-*
