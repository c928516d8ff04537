//! Mounts the petition app.

fn main() {
    petitie::start();
}
