require "bigdecimal"

module Shop
  module Money
    # Shared helper used by checkout and refunds.
    def self.parse_amount(raw)
      BigDecimal(raw)
    rescue ArgumentError
      raise ArgumentError, "invalid amount '#{raw}'"
    end
  end
end
