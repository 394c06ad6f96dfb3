# Tunesmith: `make test` and `make demo` work on a fresh Debian/Ubuntu machine.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := pkg-config libfluidsynth-dev libsndfile1-dev libopenblas-dev libsqlite3-dev \
                timgm6mb-soundfont fluid-soundfont-gm openttd-openmsx
BENCH_APT_PACKAGES := python3 python3-venv python3-pip
CORPUS ?= ../shared/corpus

.PHONY: deps deps-bench build release test demo bench fuzz clean

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

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) test --disable-xctest

demo: release
	$(SWIFT) run -c release tunesmith inspect /usr/share/games/openttd/baseset/openmsx/*.mid

bench: deps-bench release
	Benchmarks/read-notes "$(CORPUS)"

fuzz: deps
	Benchmarks/../Fuzz/run

clean:
	rm -rf .build .build-*

.PHONY: generation-compare
# The README's training table and generated-piece evaluation (about 6 × 12 minutes).
generation-compare: release
	Benchmarks/generation-compare "$(CORPUS)"
