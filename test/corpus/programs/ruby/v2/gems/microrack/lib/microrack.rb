# Tiny fake web framework (gem code).
module MicroRack
  class App
    def initialize
      @routes = {}
    end

    def route(path, &blk)
      @routes[path] = blk
    end

    def call(path, req)
      with_middleware(req) { @routes.fetch(path).call(req) }
    end

    private

    def with_middleware(req)
      yield
    end
  end
end
