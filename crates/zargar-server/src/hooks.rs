//! Faults a test can switch on in a server built with the `test-hooks`
//! feature, to prove that a wall holds when a query is wrong. A release
//! build has none: each hook is a constant `false`.

/// `ZARGAR_TEST_DROP_TENANT_FILTER=1`: the conflicts read forgets its
/// tenant filter. On PostgreSQL the row-level security must still hide
/// every other shop.
#[cfg(feature = "test-hooks")]
pub fn tenant_filter_dropped() -> bool {
    std::env::var_os("ZARGAR_TEST_DROP_TENANT_FILTER").is_some_and(|v| v == "1")
}

#[cfg(not(feature = "test-hooks"))]
pub const fn tenant_filter_dropped() -> bool {
    false
}
