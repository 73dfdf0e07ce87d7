-- One PostgreSQL server, one database per context (as scripts/start.ts provisions them).
-- Run once, by the postgres image, when its data volume is first created.
CREATE DATABASE gaji_member;
CREATE DATABASE gaji_product;
CREATE DATABASE gaji_purchase;
CREATE DATABASE gaji_payment;
