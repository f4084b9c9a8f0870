fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let p = if quick {
        items_or_relations::chapters::linear::Params::quick()
    } else {
        Default::default()
    };
    let t = std::time::Instant::now();
    let out = items_or_relations::chapters::linear::compute(&p).unwrap();
    eprintln!("{:?}", t.elapsed());
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
