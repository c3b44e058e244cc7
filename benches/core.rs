//! `cargo bench --bench core`: native timings of the two operations the README
//! reports. Plain `Instant` medians; the machines are shared, so each figure is
//! the median of several runs of many operations.

use samlkit::Timestamp;
use samlkit::validate::{self, Context};
use std::hint::black_box;
use std::time::Instant;

const CERT: &str = include_str!("../bench/fixtures/cert.pem");
const METADATA: &str = include_str!("../bench/fixtures/metadata.xml");

fn median_micros(mut op: impl FnMut()) -> f64 {
    // Calibrate N to about 100 ms, then take the median of 7 runs.
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            op();
        }
        if t.elapsed().as_millis() >= 100 {
            break;
        }
        n *= 2;
    }
    let mut runs: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                op();
            }
            t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let ctx = Context::at(Timestamp(1_795_392_000));
    let cert = median_micros(|| {
        black_box(validate::certificate(black_box(CERT), &ctx));
    });
    let import = median_micros(|| {
        black_box(samlkit::metadata::import(black_box(METADATA), None, ctx.now));
    });
    let full = median_micros(|| {
        black_box(validate::metadata(black_box(METADATA), None, &ctx));
    });
    println!("native\tinspect certificate (PEM → facts + verdicts)\t{cert:.1}");
    println!("native\tmetadata 8 KB, 2 certificates → draft\t{import:.1}");
    println!("native\tmetadata 8 KB → draft + full validation\t{full:.1}");
}
