//! A stand-in ESC/POS network printer for tests.
