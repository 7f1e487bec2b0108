//! The `rule_file` target: see `mtlint::fuzzing::rule_file`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = mtlint::fuzzing::rule_file(data) {
        panic!("broken invariant: {broken}");
    }
});
