# Two commands, as the README promises. Both set up what is missing first.
.PHONY: run test shots

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

shots:
	bash scripts/setup.sh && .venv/bin/szkiosk shot content --out shots --lang all
