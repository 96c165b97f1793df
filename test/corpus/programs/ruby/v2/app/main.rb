# Corpus service: fires each bug many times and prints one JSON event per line.
# error_stack = Exception#full_message(highlight: false, order: :top): message line,
# "\tfrom" lines, causes appended (the layout Datadog's Ruby tracer reports).
require "json"
require "securerandom"
GEMS = ARGV[1]
$LOAD_PATH.unshift(File.join(GEMS, Dir.children(GEMS).grep(/\Apgdriver-/).first, "lib"))
$LOAD_PATH.unshift(File.join(GEMS, Dir.children(GEMS).grep(/\Amicrorack-/).first, "lib"))
require "microrack"
require_relative "lib/shop/errors"
require_relative "lib/shop/money"
require_relative "lib/shop/repo"
require_relative "lib/shop/service"

# v2: request-id middleware configuration (unrelated to the bugs)
REQUEST_ID_HEADER = "X-Request-Id"
def new_request_id = SecureRandom.hex(8)

DEPLOY = Integer(ARGV[0])
RNG = Random.new(1000 + DEPLOY)
SVC = Shop::Service.new
APP = MicroRack::App.new

def rid = RNG.rand(1..999_999)
def pick(a) = a[RNG.rand(a.size)]
def uuid
  b = RNG.bytes(16).bytes
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  h = b.map { |x| format("%02x", x) }.join
  "#{h[0, 8]}-#{h[8, 4]}-#{h[12, 4]}-#{h[16, 4]}-#{h[20, 12]}"
end
def email = "#{pick(%w[alice bob carol dave erin])}.#{RNG.rand(9999)}@#{pick(%w[example.com mail.test corp.example.org])}"
def junk = pick(["12,50", "abc", "1e", "ten", "$5", "--", "9.9.9", "1/2"]) + pick(["", " ", "x", "€"])

APP.route("/orders") { |r| SVC.show_order(r[:id]) }
APP.route("/invoices") { |r| SVC.show_invoice(r[:id]) }
APP.route("/checkout") { |r| SVC.checkout(r[:cart], r[:total]) }
APP.route("/refunds") { |r| SVC.refund(r[:order], r[:amount]) }
APP.route("/register") { |r| SVC.register(r[:email]) }
APP.route("/health") { |r| SVC.health(r[:timeout]) }
APP.route("/avatar") { |r| SVC.avatar_url(r[:user]) }
APP.route("/coupon") { |r| SVC.apply_coupon(r[:code]) }
APP.route("/stats") { |r| SVC.conversion_rate(r[:visits], r[:orders]) }
APP.route("/slots") { |r| SVC.pick_slot((0...r[:n]).to_a, r[:idx]) }

BUGS = [
  ["order-not-found", "/orders", -> { { id: rid } }],
  ["invoice-not-found", "/invoices", -> { { id: rid } }],
  ["checkout-invalid-amount", "/checkout", -> { { cart: uuid, total: junk } }],
  ["refund-invalid-amount", "/refunds", -> { { order: rid, amount: junk } }],
  ["register-duplicate-email", "/register", -> { { email: email } }],
  ["health-db-timeout", "/health", -> { { timeout: pick([500, 1000, 2500, 3000]) } }],
  ["avatar-nil-profile", "/avatar", -> { { user: rid } }],
  ["coupon-unknown", "/coupon", -> { { code: pick(["SPRING", "bogus'; DROP", "FREE SHIP", "xxxx", "BF-2024"]) + RNG.rand(100).to_s } }],
  ["stats-zero-visits", "/stats", -> { { visits: 0, orders: RNG.rand(1..50) } }],
  ["slots-index-out-of-range", "/slots", -> { { n: RNG.rand(6), idx: RNG.rand(6..40) } }],
].freeze

def emit(label, e)
  puts JSON.generate({
    "runtime" => "ruby", "label" => "ruby/#{label}", "deploy" => DEPLOY,
    "error_type" => e.class.name, "error_message" => e.message,
    "error_stack" => e.full_message(highlight: false, order: :top)
  })
end

events = []
BUGS.each_with_index do |(label, path, mk), i|
  (8 + (i * 7 + DEPLOY) % 6).times { events << [label, path, mk.call] }
end
(9 + DEPLOY).times do
  events << ["worker-job-failed", nil, { thread: "#{pick(%w[ingest mailer billing])}-worker-#{RNG.rand(1..32)}", job: uuid }]
end
events.shuffle!(random: RNG)
events.each do |label, path, req|
  if path.nil?
    t = Thread.new do
      Thread.current.name = req[:thread]
      Thread.current.report_on_exception = false
      SVC.process_job(req[:job])
    end
    begin
      t.join
    rescue Shop::WorkerFailure => e
      emit(label, e)
    end
    next
  end
  begin
    APP.call(path, req)
    abort "bug #{label} did not fire"
  rescue StandardError => e
    emit(label, e)
  end
end
