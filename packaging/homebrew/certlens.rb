# Homebrew formula (command line and window). Publish in a tap, e.g. certlens/homebrew-tap:
#   brew install certlens/tap/certlens
class Certlens < Formula
  desc "Inspect and test mTLS client certificates exactly as Cloudflare and nginx see them"
  homepage "https://github.com/certlens/certlens"
  url "https://github.com/certlens/certlens/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "REPLACE_WITH_THE_RELEASE_TARBALL_SHA256"
  license any_of: ["MIT", "Apache-2.0"]

  depends_on "rust" => :build

  def install
    ENV["AWS_LC_SYS_NO_JITTER_ENTROPY"] = "1"
    system "cargo", "install", *std_cargo_args, "--profile", "dist"
    pkgshare.install "assets/echo-worker.js", "assets/samples"
  end

  test do
    output = shell_output("#{bin}/certlens fields #{pkgshare}/samples/alice.pem --format headers")
    assert_match "X-CERT-SERIAL: 936EACBE07F201DF", output
  end
end
