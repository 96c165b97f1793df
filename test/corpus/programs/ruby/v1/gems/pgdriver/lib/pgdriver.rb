module PGDriver
  class Error < StandardError; end
  class UniqueViolation < Error; end
  class ConnectionTimeout < Error; end

  class Connection
    def initialize(host, port = 5432)
      @host = host
      @port = port
    end

    def exec(sql, params)
      check!(params)
      []
    end

    private

    def check!(params)
      if params[:timeout]
        raise ConnectionTimeout, "timeout after #{params[:timeout]}ms connecting to #{@host}:#{@port}"
      end
      if params[:dup]
        raise UniqueViolation, "duplicate key value violates unique constraint \"users_email_key\"\nDETAIL:  Key (email)=(#{params[:email]}) already exists."
      end
    end
  end
end
