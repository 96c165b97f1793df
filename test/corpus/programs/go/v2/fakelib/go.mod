module example.com/fakelib

go 1.19
