//! The `readers` target: see `mtlint::fuzzing::readers`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = mtlint::fuzzing::readers(data) {
        panic!("broken invariant: {broken}");
    }
});
