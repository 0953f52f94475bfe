//! The end-to-end harness: the real `zargar-server` and `zargar` processes,
//! and a fault-injecting proxy between them.

pub mod proxy;
