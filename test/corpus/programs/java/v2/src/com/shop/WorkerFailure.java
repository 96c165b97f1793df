package com.shop;

public class WorkerFailure extends RuntimeException {
    public WorkerFailure(String message) {
        super(message);
    }
}
