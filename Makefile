# Two commands, as the README promises. Both set up what is missing first.
.PHONY: run test shots wheel

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

shots:
	bash scripts/setup.sh && .venv/bin/szkiosk shot content --out shots --lang all

# Build the wheel, install it into a fresh venv outside the checkout, run it from elsewhere.
wheel:
	bash scripts/check-wheel.sh
