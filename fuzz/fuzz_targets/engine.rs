//! The `engine` target: see `mtlint::fuzzing::engine`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = mtlint::fuzzing::engine(data) {
        panic!("broken invariant: {broken}");
    }
});
