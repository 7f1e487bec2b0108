//! The `fix` target: see `mtlint::fuzzing::fix`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = mtlint::fuzzing::fix(data) {
        panic!("broken invariant: {broken}");
    }
});
