//! The `lsp` target: see `mtlint::fuzzing::lsp`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = mtlint::fuzzing::lsp(data) {
        panic!("broken invariant: {broken}");
    }
});
