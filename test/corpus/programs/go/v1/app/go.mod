module example.com/shop

go 1.19

require example.com/fakelib v1.2.3
