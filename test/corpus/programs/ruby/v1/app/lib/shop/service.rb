module Shop
  class Service
    PROFILES = {}.freeze
    COUPONS = { "WELCOME10" => 10 }.freeze

    def show_order(id)
      OrderRepo.new.find(id)
    end

    def show_invoice(id)
      InvoiceRepo.new.find(id)
    end

    def checkout(cart, raw_total)
      Money.parse_amount(raw_total)
    end

    def refund(order, raw_amount)
      Money.parse_amount(raw_amount)
    end

    def register(email)
      UserRepo.new.insert(email)
    rescue PGDriver::UniqueViolation
      raise RegistrationError, "cannot register #{email}"
    end

    def health(timeout)
      UserRepo.new.ping(timeout)
    end

    def avatar_url(user)
      PROFILES[user].avatar
    end

    def apply_coupon(code)
      COUPONS.fetch(code) { |c| raise KeyError, "unknown coupon code \"#{c}\"" }
    end

    def conversion_rate(visits, orders)
      orders / visits
    end

    def pick_slot(slots, idx)
      slots.fetch(idx)
    end

    def process_job(job)
      name = Thread.current.name
      raise WorkerFailure, "worker #{name} failed to process job #{job}"
    end
  end
end
