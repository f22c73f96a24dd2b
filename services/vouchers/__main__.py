from shared.serve import serve

serve("vouchers", "services.vouchers.main:app")
