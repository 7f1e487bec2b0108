//! The `config` target: see `mtlint::fuzzing::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = mtlint::fuzzing::config(data) {
        panic!("broken invariant: {broken}");
    }
});
