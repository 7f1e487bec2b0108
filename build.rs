//! The built-in rule packs are embedded with `include_dir!`, which cargo does not know about: rebuild when a file
//! under `rules/` is added, removed or edited.
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
