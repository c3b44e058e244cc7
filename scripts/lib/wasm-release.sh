# Sourced by the scripts that build the shipping WebAssembly (the npm package and
# Trunk's page): run a command with `wasm_release CMD...`.
#
# std is rebuilt with the release profile (opt-level z, LTO with our code), and a panic
# aborts at once instead of formatting its message and location (`-Cpanic=immediate-abort`).
# Together that is 15 KB less of the SDK's gzip. Source locations are left out of the
# code too (`-Zlocation-detail=none`): nothing shows them once a panic aborts, and the
# paths they carried (the builder's CARGO_HOME) made the sizes depend on the machine.
# These are unstable options of the stable toolchain, enabled for these builds alone by
# RUSTC_BOOTSTRAP; the tests' builds (native and wasm-bindgen-test) keep the default std
# and panic messages.
# Needs the toolchain's rust-src component (scripts/setup.sh adds it).
wasm_release() {
  RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" "$@"
}
