require "pgdriver"

module Shop
  DB = PGDriver::Connection.new("10.20.0.5")

  class OrderRepo
    def find(id)
      raise NotFound, "record #{id} not found"
    end
  end

  class InvoiceRepo
    def find(id)
      raise NotFound, "record #{id} not found"
    end
  end

  class UserRepo
    def insert(email)
      DB.exec("INSERT INTO users(email) VALUES ($1)", email: email, dup: true)
    end

    def ping(timeout)
      DB.exec("SELECT 1", timeout: timeout)
    end
  end
end
